/**
 * The head around the face: neck and shoulders, hair behind the head, ears, the face outline (its jaw
 * dropped by AU26) and the hair cap in front. Drawn first (back) and last (front).
 */
import { rgba, shade, smoothClosed, type Pt } from '../paint';
import type { FaceContext } from '../face_context';

/** Neck, clothes, hair behind the head, ears and the skin of the face. */
export function drawHeadBack(fc: FaceContext): void {
  const { ctx, id, P, sy, skin, drop, skinTexture } = fc;
  // neck and shoulders
  ctx.fillStyle = rgba(shade(skin, 0.8));
  ctx.beginPath();
  ctx.rect(-0.5 + sy * 0.3, 0.6, 1.0, 2.0);
  ctx.fill();
  ctx.fillStyle = rgba(id.clothes);
  ctx.beginPath();
  ctx.ellipse(sy * 0.3, 2.45, 2.0, 0.85, 0, 0, 2 * Math.PI);
  ctx.fill();

  const f = id.face;
  const hair = id.hair;
  // hair behind the head (long, curly, bun)
  if (hair.style === 'long' || hair.style === 'curly' || hair.style === 'bun') {
    ctx.fillStyle = rgba(hair.color);
    ctx.beginPath();
    const v = hair.volume;
    const pts: Pt[] = hair.style === 'long'
      ? [P(0, f.top - v), P(0.8, f.top + 0.1 - v), P(f.temple + 0.2 + v, -0.3), P(f.temple + 0.2 + v, 0.8), P(f.temple - 0.1, 1.5), P(-(f.temple - 0.1), 1.5), P(-(f.temple + 0.2 + v), 0.8), P(-(f.temple + 0.2 + v), -0.3), P(-0.8, f.top + 0.1 - v)]
      : [P(0, f.top - v), P(0.85, f.top + 0.12 - v), P(f.temple + 0.12 + v, -0.4), P(f.temple + 0.05, 0.2), P(-(f.temple + 0.05), 0.2), P(-(f.temple + 0.12 + v), -0.4), P(-0.85, f.top + 0.12 - v)];
    smoothClosed(ctx, pts);
    ctx.fill();
    if (hair.style === 'bun') {
      ctx.beginPath();
      const [bx, by] = P(0, f.top - v - 0.2, 0.1);
      ctx.arc(bx, by, 0.3, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  // ears
  ctx.fillStyle = rgba(shade(skin, 0.9));
  for (const sx of [-1, 1]) {
    const [ex, ey] = P(sx * (f.temple + 0.03), id.ears.y + 0.05);
    ctx.beginPath();
    ctx.ellipse(ex, ey, 0.1 * (0.6 + 0.4 * (1 + sx * sy)), id.ears.size * 0.75, 0, 0, 2 * Math.PI);
    ctx.fill();
  }
  // face outline with the jaw dropped by AU26
  const outlineRight: Pt[] = [
    [0.55 * f.temple, f.top + 0.08], [f.temple, -0.6], [f.temple * 0.99, -0.2], [f.cheek, 0.2],
    [(f.cheek + f.jaw) / 2 + 0.02, 0.5 + drop * 0.3], [f.jaw, f.jawY + drop * 0.7], [(f.jaw + f.chin) / 2 + 0.03, f.chinY - 0.16 + drop],
    [f.chin, f.chinY - 0.05 + drop],
  ];
  const outline: Pt[] = [P(0, f.top), ...outlineRight.map(([x, y]) => P(x, y)), P(0, f.chinY + drop), ...outlineRight.slice().reverse().map(([x, y]) => P(-x, y))];
  const [gx, gy] = P(-0.15, -0.1);
  const faceGrad = ctx.createRadialGradient(gx, gy, 0.1, gx, gy, 1.5);
  faceGrad.addColorStop(0, rgba(shade(skin, 1.06)));
  faceGrad.addColorStop(0.7, rgba(skin));
  faceGrad.addColorStop(1, rgba(shade(skin, 0.8)));
  ctx.fillStyle = faceGrad;
  ctx.beginPath();
  smoothClosed(ctx, outline);
  ctx.fill();
  // version 2: skin texture (blotches and pores) over the face, and shading of the side turned away by yaw
  if (skinTexture) {
    ctx.save();
    ctx.clip();
    ctx.globalCompositeOperation = 'overlay';
    ctx.globalAlpha = 0.35;
    ctx.drawImage(skinTexture, -1.3, -1.4, 2.6, 2.9);
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = 1;
    const side = ctx.createLinearGradient(-1.1, 0, 1.1, 0);
    const a = Math.min(0.35, Math.abs(sy) * 0.9);
    side.addColorStop(sy > 0 ? 0 : 1, rgba([0, 0, 0], a));
    side.addColorStop(0.5, rgba([0, 0, 0], 0));
    ctx.fillStyle = side;
    ctx.fillRect(-1.3, -1.4, 2.6, 2.9);
    ctx.restore();
  }
}

/** The hair cap above the hairline (and curls). */
export function drawHairFront(fc: FaceContext): void {
  const { ctx, id, P } = fc;
  const f = id.face;
  const hair = id.hair;
  // hair in front: the cap above the hairline
  ctx.fillStyle = rgba(hair.color);
  ctx.beginPath();
  const v = hair.volume;
  const hl = hair.hairline;
  const cap: Pt[] = hair.style === 'receding'
    ? [P(-(f.temple + 0.04), -0.35), P(-(f.temple + 0.02 + v * 0.3), -0.8), P(-0.6, f.top - v * 0.4), P(0, f.top - v * 0.5), P(0.6, f.top - v * 0.4), P(f.temple + 0.02 + v * 0.3, -0.8), P(f.temple + 0.04, -0.35),
      P(f.temple - 0.1, -0.5), P(0.55, hl + 0.02), P(0, hl + 0.05), P(-0.55, hl + 0.02), P(-(f.temple - 0.1), -0.5)]
    : [P(-(f.temple + 0.06), -0.3), P(-(f.temple + 0.06 + v * 0.6), -0.8), P(-0.65, f.top - v * 0.8), P(0, f.top - v), P(0.65, f.top - v * 0.8), P(f.temple + 0.06 + v * 0.6, -0.8), P(f.temple + 0.06, -0.3),
      P(f.temple - 0.08, -0.45), P(0.6, hl + 0.1), P(0.25, hl + 0.02), P(0, hl + 0.03), P(-0.3, hl - 0.01), P(-0.65, hl + 0.12), P(-(f.temple - 0.08), -0.45)];
  smoothClosed(ctx, cap);
  ctx.fill();
  if (hair.style === 'curly') {
    for (let i = 0; i < 11; i++) {
      const a = Math.PI * (0.05 + (0.9 * i) / 10);
      const [hx, hy] = P(-Math.cos(a) * (f.temple + 0.05), f.top * 0.85 * Math.sin(a) - v * 0.6);
      ctx.beginPath();
      ctx.arc(hx, hy, 0.17, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}
