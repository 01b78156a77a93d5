/**
 * Eyes and cheeks: AU5 upper lids up, AU6 cheeks and lower lids up with crow's feet and the infraorbital
 * furrow (AU12 bulges the cheeks a little), AU4/AU9 lids lowered; blinks and gaze from the nuisance.
 */
import { mixRgb, rgba, shade } from '../paint';
import type { FaceContext } from '../face_context';

/** Cheeks raised by AU6 (and AU12), the infraorbital furrow, hollow cheeks with AU26. */
export function drawCheeks(fc: FaceContext): void {
  const { s, id, P, skin, dark, drop, line, blob } = fc;
  const s6 = s('AU06'), s12 = s('AU12'), s26 = s('AU26');
  // cheeks: raised by AU6 (and bulging with AU12), with a lower shadow that moves up with them
  for (const sx of [-1, 1]) {
    const cyk = 0.38 - 0.16 * s6 - 0.06 * s12;
    blob(sx * 0.55, cyk, 0.3, mixRgb(skin, [220, 90, 90], 0.5), id.blush * 0.6 + 0.25 * s6 + 0.1 * s12);
    blob(sx * 0.5, cyk - 0.08, 0.16, shade(skin, 1.25), 0.2 + 0.35 * s6 + 0.15 * s12);
    // infraorbital furrow (AU6) and the lower cheek shadow
    line([P(sx * (id.eye.spacing - 0.13), 0.14 - 0.03 * s6), P(sx * id.eye.spacing, 0.19 - 0.05 * s6), P(sx * (id.eye.spacing + 0.17), 0.13 - 0.03 * s6)], dark, 0.08 + 0.55 * s6, 0.025);
    line([P(sx * 0.85, 0.55 - 0.1 * s6), P(sx * 0.62, 0.62 - 0.12 * s6 - 0.04 * s12)], dark, 0.1 + 0.3 * s6, 0.05);
    // hollow cheeks when the jaw drops (AU26)
    blob(sx * 0.65, 0.75 + drop * 0.5, 0.25, dark, 0.35 * s26);
  }

}

/** Eyes: sclera, iris, lids, lid crease, crow's feet. */
export function drawEyes(fc: FaceContext): void {
  const { s, ctx, id, nz, P, skin, dark, line, blob } = fc;
  const s4 = s('AU04'), s5 = s('AU05'), s6 = s('AU06'), s9 = s('AU09');
  // eyes
  const e = id.eye;
  for (const sx of [-1, 1]) {
    const cx = sx * e.spacing;
    const ey = -sx * e.tilt * 0.5;
    const hw = e.halfWidth;
    const upOpen = Math.max(0.012, e.open * (1 + 0.85 * s5 - 0.35 * s6 - 0.3 * s4 - 0.2 * s9) * (1 - 0.9 * nz.blink));
    const loOpen = Math.max(0.006, e.lowerOpen * (1 - 0.75 * s6 - 0.3 * s9 + 0.15 * s5) * (1 - 0.5 * nz.blink));
    const inner = P(cx - sx * hw, ey + 0.01, 0.02);
    const outer = P(cx + sx * hw, ey - sx * e.tilt * 0.6 - 0.01, -0.05);
    const upC = P(cx, ey - 2 * upOpen, 0.05);
    const loC = P(cx, ey + 2 * loOpen, 0.05);
    // socket shadow above the eye
    blob(cx, ey - 0.08, 0.22, dark, 0.22, 0.03);
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(upC[0], upC[1], outer[0], outer[1]);
    ctx.quadraticCurveTo(loC[0], loC[1], inner[0], inner[1]);
    ctx.closePath();
    ctx.fillStyle = 'rgb(236,232,228)';
    ctx.fill();
    ctx.clip();
    const [ix, iy] = P(cx + nz.gazeX * 0.04, ey + 0.004 + nz.gazeY * 0.015, 0.07);
    ctx.fillStyle = rgba(e.iris);
    ctx.beginPath();
    ctx.arc(ix, iy, e.irisR, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgb(15,12,12)';
    ctx.beginPath();
    ctx.arc(ix, iy, e.irisR * 0.45, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    ctx.beginPath();
    ctx.arc(ix + 0.015, iy - 0.015, e.irisR * 0.2, 0, 2 * Math.PI);
    ctx.fill();
    // upper-lid shadow on the eyeball
    ctx.fillStyle = 'rgba(0,0,0,0.18)';
    ctx.fillRect(cx - 0.3, ey - 0.3, 0.6, 0.3 - upOpen * 0.6);
    ctx.restore();
    // lids: the upper lid line is dark and thick, the lower thin; the lid crease above
    ctx.strokeStyle = 'rgba(25,18,15,0.9)';
    ctx.lineWidth = 0.024;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(upC[0], upC[1], outer[0], outer[1]);
    ctx.stroke();
    ctx.strokeStyle = rgba(shade(skin, 0.55), 0.8);
    ctx.lineWidth = 0.012;
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(loC[0], loC[1], outer[0], outer[1]);
    ctx.stroke();
    const crease = 0.05 + 0.03 * s5 - 0.025 * s4;
    line([P(cx - sx * hw * 0.8, ey - upOpen * 0.8 - crease * 0.6), P(cx, ey - 1.1 * upOpen - crease), P(cx + sx * hw * 0.95, ey - upOpen * 0.6 - crease * 0.5)], dark, 0.45 - 0.3 * s5, 0.014);
    // crow's feet (AU6)
    for (const a of [-0.45, 0, 0.45]) {
      const ox = cx + sx * (hw + 0.04), oy = ey + 0.01;
      line([P(ox, oy + a * 0.05), P(ox + sx * 0.08, oy + a * 0.14), P(ox + sx * 0.15, oy + a * 0.26)], dark, 0.85 * s6, 0.018);
    }
  }

}
