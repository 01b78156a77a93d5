/**
 * Brows and forehead: AU1 inner brow up with central forehead wrinkles, AU2 outer brow up with lateral
 * wrinkles, AU4 brows down and together with vertical glabellar furrows, AU9 inner brows down.
 */
import { rgba, shade, smoothOpen, smoothOpenContinue, type Pt } from '../paint';
import type { FaceContext } from '../face_context';

/** Forehead wrinkles (AU1, AU2) and the glabella (AU4 furrows and bulge). */
export function drawForehead(fc: FaceContext): void {
  const { s, P, skin, dark, line, blob, id } = fc;
  const s1 = s('AU01'), s2 = s('AU02'), s4 = s('AU04');
  // forehead: AU1 central horizontal wrinkles, AU2 lateral wrinkles
  const by = id.brow.y;
  for (let r = 0; r < 3; r++) {
    const y = by - 0.22 - 0.11 * r;
    line([P(-0.32, y + 0.02), P(0, y - 0.025), P(0.32, y + 0.02)], dark, 0.7 * s1, 0.024);
    line([P(-0.3, y + 0.035), P(0, y - 0.01), P(0.3, y + 0.035)], shade(skin, 1.2), 0.4 * s1, 0.015);
    for (const sx of [-1, 1]) {
      line([P(sx * 0.28, y + 0.01), P(sx * 0.52, y - 0.03), P(sx * 0.74, y + 0.03)], dark, 0.65 * s2, 0.024);
    }
  }
  // glabella: AU4 vertical furrows and bulge between the brows; AU9 horizontal crease at the nose root
  for (const sx of [-1, 1]) {
    line([P(sx * 0.055, by - 0.1), P(sx * 0.07, by + 0.03), P(sx * 0.05, by + 0.13)], dark, 0.85 * s4, 0.03);
  }
  blob(0, by - 0.02, 0.16, dark, 0.35 * s4, 0.05);

}

/** The brows (AU1 inner up, AU2 outer up, AU4 down and together, AU9 inner down). */
export function drawBrows(fc: FaceContext): void {
  const { s, ctx, id, P } = fc;
  const s1 = s('AU01'), s2 = s('AU02'), s4 = s('AU04'), s9 = s('AU09');
  const by = id.brow.y;
  // brows (AU1 inner up, AU2 outer up, AU4 down and together, AU9 inner down)
  const b = id.brow;
  for (const sx of [-1, 1]) {
    const innerY = by + b.slant - 0.22 * s1 + 0.15 * s4 + 0.06 * s9;
    const innerX = b.inner - 0.09 * s4 - 0.02 * s9;
    const midY = by - b.arch - 0.09 * s1 - 0.17 * s2 + 0.1 * s4 + 0.03 * s9;
    const outerY = by + 0.04 - b.slant - 0.02 * s1 - 0.17 * s2 + 0.06 * s4;
    const x0 = innerX, x1 = b.inner + b.length * 0.55, x2 = b.inner + b.length;
    const t = b.thickness * (1 + 0.15 * s4);
    const top: Pt[] = [P(sx * x0, innerY - t * 0.55), P(sx * x1, midY - t * 0.5), P(sx * x2, outerY - t * 0.1)];
    const bottom: Pt[] = [P(sx * x2, outerY + t * 0.15), P(sx * x1, midY + t * 0.5), P(sx * x0, innerY + t * 0.55)];
    ctx.fillStyle = rgba(b.color, 0.92);
    ctx.beginPath();
    smoothOpen(ctx, top);
    const [bx2, by2] = bottom[0];
    ctx.lineTo(bx2, by2);
    smoothOpenContinue(ctx, bottom);
    ctx.closePath();
    ctx.fill();
  }
}
