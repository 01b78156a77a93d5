/**
 * The real-faces figure: every measured face (its aligned crop, as the model saw it) beside one bar per AU with
 * the model's score, and a black tick at the EMFACS reference probability where face-api's classifier is
 * confident (>= 0.6 present, <= 0.1 absent; grey tick otherwise). PNG bytes.
 */
import { createCanvas } from '@napi-rs/canvas';
import { referenceLabel } from './reference';
import type { RealFace } from './measure';

export function realFacesSheet(faces: RealFace[], crops: Uint8Array[], aus: string[], opts: { cols?: number; cell?: number } = {}): Buffer {
  const cell = opts.cell ?? 112;
  const cols = opts.cols ?? 4;
  const barW = 150, rowH = Math.floor(cell / aus.length);
  const W = cols * (cell + barW + 12), H = Math.ceil(faces.length / cols) * (cell + 22);
  const c = createCanvas(W, H);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  faces.forEach((f, i) => {
    const x0 = (i % cols) * (cell + barW + 12), y0 = Math.floor(i / cols) * (cell + 22);
    const n = Math.round(Math.sqrt(crops[i].length / 3));
    const tile = createCanvas(n, n);
    const id = tile.getContext('2d').createImageData(n, n);
    for (let p = 0; p < n * n; p++) id.data.set([crops[i][3 * p], crops[i][3 * p + 1], crops[i][3 * p + 2], 255], 4 * p);
    tile.getContext('2d').putImageData(id, 0, 0);
    ctx.drawImage(tile, x0, y0 + 18, cell, cell);
    ctx.fillStyle = '#000';
    ctx.font = '11px sans-serif';
    const top = Object.entries(f.expressions).sort((a, b) => b[1] - a[1])[0];
    ctx.fillText(`${f.image} #${f.face} (${f.split}) · face-api: ${top[0]} ${top[1].toFixed(2)}`, x0, y0 + 12);
    aus.forEach((au, k) => {
      const y = y0 + 18 + k * rowH;
      const bx = x0 + cell + 40;
      const bw = barW - 44;
      ctx.fillStyle = '#333';
      ctx.font = '10px sans-serif';
      ctx.fillText(au, x0 + cell + 4, y + rowH - 3);
      ctx.fillStyle = '#eee';
      ctx.fillRect(bx, y + 2, bw, rowH - 4);
      ctx.fillStyle = f.scores[au] >= 0.5 ? '#1f77b4' : '#9ecae1';
      ctx.fillRect(bx, y + 2, bw * f.scores[au], rowH - 4);
      const r = f.reference[au];
      if (r !== undefined) {
        ctx.fillStyle = referenceLabel(r) === null ? '#aaa' : '#000';
        ctx.fillRect(bx + bw * Math.min(1, r) - 1, y, 2, rowH);
      }
    });
  });
  return c.encodeSync('png');
}
