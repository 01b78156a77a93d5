/**
 * Mouth and jaw: AU12 corners up and out with nasolabial folds, AU15 corners down, AU17 chin boss up with
 * dimpling, AU20 lips stretched, AU25 lips apart (teeth, dark interior), AU26 jaw and lower lip down.
 */
import { Rng } from '../../../util/rng';
import { rgba, shade } from '../paint';
import type { FaceContext } from '../face_context';

/** Where the lips and corners are, moved by the AUs (face units). */
export interface MouthGeometry {
  m: FaceContext['id']['mouth'];
  my: number;
  cornerDx: number;
  cornerY: number;
  upperLift: number;
  opening: number;
  lineY: number;
  upperT: number;
  lowerT: number;
  lowerTop: number;
  lowerBottom: number;
  bulge: number;
}

/** Mouth geometry: AU12/AU15/AU20/AU17/AU26 move the corners and lips; AU25 (and AU26) open them. */
export function mouthGeometry(fc: FaceContext): MouthGeometry {
  const { s, id, au, drop } = fc;
  const s9 = s('AU09'), s12 = s('AU12'), s15 = s('AU15'), s17 = s('AU17'), s20 = s('AU20'), s25 = s('AU25'), s26 = s('AU26');
  // mouth geometry
  const m = id.mouth;
  const my = m.y;
  const cornerDx = m.halfWidth * (1 + 0.22 * s12 + 0.45 * s20 - 0.08 * s17 - 0.04 * s15 - 0.08 * s26);
  const cornerY = my - 0.17 * s12 + 0.16 * s15 + 0.03 * s20 + drop * 0.35;
  const upperLift = 0.05 * s9;
  const opening = (au.AU25 ?? 0) > 0 ? 0.03 + 0.13 * s25 + drop * 0.95 : 0;
  const lineY = my - upperLift * 0.5 - 0.03 * s17; // where the lips meet (upper lip bottom)
  const upperT = m.upper * (1 - 0.45 * s20 - 0.25 * s12);
  const lowerT = m.lower * (1 - 0.45 * s20 - 0.2 * s12 + 0.15 * s17);
  const lowerTop = lineY + opening + (opening === 0 ? drop * 0.2 : 0);
  const lowerBottom = lowerTop + lowerT - 0.035 * s17 + (opening === 0 ? 0 : 0);
  const bulge = -0.06 * s17; // AU17 pushes the lower lip up in the middle: the mouth curves down
  return { m, my, cornerDx, cornerY, upperLift, opening, lineY, upperT, lowerT, lowerTop, lowerBottom, bulge };
}

/** Nasolabial folds (AU12, AU9, a little AU6), corner marks (AU15, AU20), the chin (AU17). */
export function drawMouthFolds(fc: FaceContext, g: MouthGeometry): void {
  const { s, id, P, skin, dark, drop, line, blob } = fc;
  const s6 = s('AU06'), s9 = s('AU09'), s12 = s('AU12'), s15 = s('AU15'), s17 = s('AU17'), s20 = s('AU20');
  const f = id.face;
  const n = id.nose;
  const wingLift = 0.05 * s('AU09');
  const { my, cornerDx, cornerY, lowerBottom } = g;
  // nasolabial folds (AU12, AU9, a little with AU6)
  for (const sx of [-1, 1]) {
    line([P(sx * (n.width + 0.05), n.tipY - 0.03 - wingLift), P(sx * (n.width + 0.16 + 0.05 * s12), my - 0.18 - 0.03 * s12), P(sx * (cornerDx + 0.07), cornerY + 0.07)], dark, 0.12 + 0.7 * s12 + 0.45 * s9 + 0.15 * s6, 0.028);
    // corner dimple / AU15 bulge below the corner / AU20 stretch lines
    blob(sx * (cornerDx + 0.02), cornerY, 0.05, dark, 0.2 + 0.3 * s12 + 0.2 * s20);
    blob(sx * (cornerDx - 0.02), cornerY + 0.12, 0.1, dark, 0.55 * s15);
    line([P(sx * (cornerDx + 0.04), cornerY + 0.04), P(sx * (cornerDx + 0.04), cornerY + 0.16)], dark, 0.45 * s15, 0.018);
    line([P(sx * (cornerDx + 0.05), cornerY - 0.02), P(sx * (cornerDx + 0.16), cornerY + 0.01)], dark, 0.55 * s20, 0.018);
  }
  // chin: AU17 boss pushed up with dimpling and a deep mentolabial crease
  const chinY = f.chinY + drop;
  blob(0, chinY - 0.18 - 0.07 * s17, 0.22, shade(skin, 1.15), 0.3 + 0.2 * s17);
  line([P(-0.15, lowerBottom + 0.09 - 0.02 * s17), P(0, lowerBottom + 0.06 - 0.04 * s17), P(0.15, lowerBottom + 0.09 - 0.02 * s17)], dark, 0.15 + 0.7 * s17, 0.03);
  if (s17 > 0) {
    const rng = new Rng(0x17);
    for (let d = 0; d < 14; d++) {
      blob(rng.uniform(-0.16, 0.16), chinY - 0.15 + rng.uniform(-0.06, 0.06) - 0.05 * s17, 0.03, dark, 0.55 * s17);
    }
  }
}

/** Mouth interior and teeth (AU25, larger with AU26), upper and lower lips, the line between closed lips. */
export function drawLips(fc: FaceContext, g: MouthGeometry): void {
  const { ctx, P } = fc;
  const { m, my, cornerDx, cornerY, upperLift, opening, lineY, upperT, lowerTop, lowerBottom, bulge } = g;
  const L = P(-cornerDx, cornerY), R = P(cornerDx, cornerY);
  // mouth interior and teeth (AU25, larger with AU26)
  if (opening > 0) {
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(L[0], L[1]);
    const uc = P(0, 2 * lineY - (L[1] + R[1]) / 2 - 0.005, 0.1);
    ctx.quadraticCurveTo(uc[0], uc[1], R[0], R[1]);
    const lc = P(0, 2 * (lowerTop + bulge) - cornerY + 0.01, 0.1);
    ctx.quadraticCurveTo(lc[0], lc[1], L[0], L[1]);
    ctx.closePath();
    ctx.fillStyle = 'rgb(62,22,26)';
    ctx.fill();
    ctx.clip();
    const [tx0, ty0] = P(0, lineY, 0.1);
    ctx.fillStyle = 'rgb(238,234,222)';
    ctx.fillRect(tx0 - cornerDx * 0.75, ty0 - 0.1, cornerDx * 1.5, 0.1 + Math.min(0.05, opening * 0.45));
    if (opening > 0.12) {
      const [lx0, ly0] = P(0, lowerTop, 0.1);
      ctx.fillStyle = 'rgb(220,215,205)';
      ctx.fillRect(lx0 - cornerDx * 0.6, ly0 - 0.035, cornerDx * 1.2, 0.2);
    }
    ctx.fillStyle = 'rgba(0,0,0,0.25)';
    ctx.fillRect(tx0 - 0.2, ty0 + 0.04, 0.4, 0.003);
    ctx.restore();
  }
  // upper lip: top edge with the cupid's bow, bottom edge at the line where the lips meet
  const lipTop = lineY - upperT - upperLift * 0.5;
  ctx.fillStyle = rgba(shade(m.color, 0.92));
  ctx.beginPath();
  ctx.moveTo(L[0], L[1]);
  const ul = P(-0.08, lipTop - m.bow, 0.1), um = P(0, lipTop + m.bow * 0.5, 0.12), ur = P(0.08, lipTop - m.bow, 0.1);
  const ulc = P(-cornerDx * 0.6, lipTop + 0.01 - (cornerY - my) * 0.3, 0.08);
  ctx.quadraticCurveTo(ulc[0], ulc[1], ul[0], ul[1]);
  ctx.lineTo(um[0], um[1]);
  ctx.lineTo(ur[0], ur[1]);
  const urc = P(cornerDx * 0.6, lipTop + 0.01 - (cornerY - my) * 0.3, 0.08);
  ctx.quadraticCurveTo(urc[0], urc[1], R[0], R[1]);
  const ub = P(0, 2 * lineY - cornerY + 0.004, 0.1);
  ctx.quadraticCurveTo(ub[0], ub[1], L[0], L[1]);
  ctx.closePath();
  ctx.fill();
  // lower lip
  const lipCol = m.color;
  const lt = P(0, 2 * (lowerTop + bulge) - cornerY, 0.1);
  const lb = P(0, 2 * (lowerBottom + bulge) - cornerY + 0.02, 0.1);
  const lowGrad = ctx.createLinearGradient(0, lt[1] * 0.5 + lb[1] * 0.5 - 0.05, 0, lb[1] * 0.5 + lt[1] * 0.5 + 0.05);
  lowGrad.addColorStop(0, rgba(shade(lipCol, 1.08)));
  lowGrad.addColorStop(1, rgba(shade(lipCol, 0.85)));
  ctx.fillStyle = lowGrad;
  ctx.beginPath();
  ctx.moveTo(L[0], L[1]);
  ctx.quadraticCurveTo(lt[0], lt[1], R[0], R[1]);
  ctx.quadraticCurveTo(lb[0], lb[1], L[0], L[1]);
  ctx.closePath();
  ctx.fill();
  // the line between closed lips
  if (opening === 0) {
    ctx.strokeStyle = rgba(shade(lipCol, 0.45), 0.9);
    ctx.lineWidth = 0.018;
    ctx.beginPath();
    ctx.moveTo(L[0], L[1]);
    const mc = P(0, 2 * lineY - cornerY + 0.004 + bulge, 0.1);
    ctx.quadraticCurveTo(mc[0], mc[1], R[0], R[1]);
    ctx.stroke();
  }
}

/** The mouth and jaw region. */
export function drawMouth(fc: FaceContext): void {
  const g = mouthGeometry(fc);
  drawMouthFolds(fc, g);
  drawLips(fc, g);
}
