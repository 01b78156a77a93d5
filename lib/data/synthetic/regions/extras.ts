/**
 * Version-2 appearance that does not move with any AU: beards (stubble, moustache, goatee, full) drawn over the
 * skin of the jaw, chin and upper lip (the mouth, folds and lips are painted over them, so no AU is hidden or
 * made easier to see), and glasses over the eyes (frames and faintly tinted lenses; the brows move above them).
 */
import { rgba, smoothClosed, type Pt } from '../paint';
import type { FaceContext } from '../face_context';

/** A beard in the hair colour; follows the jaw drop (AU26). */
export function drawBeard(fc: FaceContext): void {
  const { ctx, id, P, drop } = fc;
  const { style, alpha } = id.appearance.beard;
  if (style === 'none') return;
  const f = id.face;
  const m = id.mouth;
  const color = id.hair.color;
  const a = style === 'stubble' ? alpha * 0.45 : alpha;
  ctx.fillStyle = rgba(color, a);
  if (style === 'moustache' || style === 'full' || style === 'goatee') {
    ctx.beginPath();
    const ys = m.y - m.upper - 0.02;
    smoothClosed(ctx, [P(-m.halfWidth - 0.04, m.y - 0.01), P(-0.2, ys - 0.09), P(0, ys - 0.07), P(0.2, ys - 0.09), P(m.halfWidth + 0.04, m.y - 0.01), P(0, ys + 0.01)]);
    ctx.fill();
  }
  ctx.beginPath();
  let pts: Pt[];
  if (style === 'goatee') {
    pts = [P(-m.halfWidth * 0.7, m.y + 0.12 + drop), P(m.halfWidth * 0.7, m.y + 0.12 + drop), P(f.chin * 0.9, f.chinY + drop), P(0, f.chinY + 0.06 + drop), P(-f.chin * 0.9, f.chinY + drop)];
  } else if (style === 'moustache') {
    return;
  } else {
    // stubble and full beards cover the jaw from the cheeks to the chin, below the mouth line
    const top = style === 'full' ? 0.3 : 0.45;
    pts = [
      P(-f.cheek + 0.02, top), P(-m.halfWidth - 0.12, m.y + 0.02 + drop * 0.35), P(0, m.y + 0.14 + drop), P(m.halfWidth + 0.12, m.y + 0.02 + drop * 0.35), P(f.cheek - 0.02, top),
      P(f.jaw, f.jawY + drop * 0.7), P(f.chin, f.chinY - 0.02 + drop + (style === 'full' ? 0.08 : 0)), P(0, f.chinY + drop + (style === 'full' ? 0.14 : 0.01)),
      P(-f.chin, f.chinY - 0.02 + drop + (style === 'full' ? 0.08 : 0)), P(-f.jaw, f.jawY + drop * 0.7),
    ];
  }
  smoothClosed(ctx, pts);
  ctx.fill();
}

/** Glasses: two lenses around the eyes, a bridge, and temples towards the ears. */
export function drawGlasses(fc: FaceContext): void {
  const { ctx, id, P } = fc;
  const g = id.appearance.glasses;
  if (!g) return;
  const e = id.eye;
  const rx = e.halfWidth + 0.09, ry = g.shape === 'round' ? rx * 0.85 : rx * 0.62;
  ctx.lineWidth = g.width;
  ctx.strokeStyle = rgba(g.color, 0.95);
  for (const sx of [-1, 1]) {
    const [cx, cy] = P(sx * e.spacing, 0.02, 0.12);
    ctx.beginPath();
    if (g.shape === 'round') ctx.ellipse(cx, cy, rx, ry, 0, 0, 2 * Math.PI);
    else ctx.roundRect(cx - rx, cy - ry, 2 * rx, 2 * ry, 0.05);
    ctx.fillStyle = rgba([200, 215, 230], g.tint);
    ctx.fill();
    ctx.stroke();
    const [tx, ty] = P(sx * (id.face.temple + 0.02), -0.02);
    ctx.beginPath();
    ctx.moveTo(cx + sx * rx, cy - ry * 0.4);
    ctx.lineTo(tx, ty);
    ctx.stroke();
  }
  const [lx, ly] = P(-e.spacing + rx, -0.02, 0.15), [qx, qy] = P(e.spacing - rx, -0.02, 0.15), [mx, my] = P(0, -0.07, 0.2);
  ctx.beginPath();
  ctx.moveTo(lx, ly);
  ctx.quadraticCurveTo(mx, my, qx, qy);
  ctx.stroke();
}
