/**
 * The nose: bridge shading, AU9 nose-root wrinkles and nostril wings raised.
 */
import { shade } from '../paint';
import type { FaceContext } from '../face_context';

/** Nose bridge, AU9 wrinkles, alar wings and nostrils. */
export function drawNose(fc: FaceContext): void {
  const { s, ctx, id, P, skin, dark, line, blob } = fc;
  const s9 = s('AU09');
  // nose: bridge shading, AU9 wrinkles, nostril wings raised by AU9
  const n = id.nose;
  const wingLift = 0.05 * s9;
  for (const sx of [-1, 1]) {
    line([P(sx * 0.1, 0.02, 0.1), P(sx * 0.11, 0.2, 0.2), P(sx * (n.width * 0.9), n.tipY - 0.05 - wingLift, 0.15)], dark, 0.25, 0.03);
  }
  for (let r = 0; r < 3; r++) {
    const y = -0.02 + 0.065 * r;
    line([P(-0.11, y + 0.012, 0.12), P(0, y - 0.01, 0.15), P(0.11, y + 0.012, 0.12)], dark, 0.9 * s9, 0.022);
  }
  for (const sx of [-1, 1]) {
    line([P(sx * 0.12, 0.06, 0.12), P(sx * 0.2, 0.14, 0.08)], dark, 0.6 * s9, 0.02);
  }
  blob(0, n.tipY - 0.06, 0.1, shade(skin, 1.25), 0.5, 0.35);
  for (const sx of [-1, 1]) {
    // alar wing and nostril
    const wx = sx * n.width * (1 + 0.25 * s9), wy = n.tipY - wingLift;
    line([P(sx * n.width * 0.5, wy + 0.06, 0.25), P(wx, wy + 0.02, 0.15), P(wx * 0.95, wy - 0.06, 0.12)], shade(skin, 0.5), 0.7, 0.022);
    const [nx, ny] = P(sx * n.width * 0.5, wy + 0.045 - 0.01 * s9, 0.25);
    ctx.fillStyle = 'rgba(40,20,18,0.75)';
    ctx.beginPath();
    ctx.ellipse(nx, ny, 0.045 * (1 + 0.3 * s9), 0.02 * (1 + 0.4 * s9), sx * 0.3, 0, 2 * Math.PI);
    ctx.fill();
  }

}
