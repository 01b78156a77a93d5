/**
 * Test inputs for the browser tests: photos-like scenes (synthetic faces from lib/data/synthetic, rotated, scaled and
 * placed on a background, as the align tests do) written as PNG so Chromium and Node decode the same pixels, and a
 * .y4m video of a moving face for Chromium's fake webcam (YUV 4:2:0, BT.601 full range, written here: no ffmpeg).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, loadImage, type Image } from '@napi-rs/canvas';
import { renderSyntheticFace } from '../../lib/data/synthetic';
import { DISFA_AUS } from '../../lib/data/aus';

export interface Placement {
  subject: string;
  /** AU intensities 0-5. */
  au: Partial<Record<(typeof DISFA_AUS)[number], number>>;
  cx: number;
  cy: number;
  /** Degrees. */
  angle: number;
  scale: number;
}

async function face(p: Placement, size: number): Promise<Image> {
  return loadImage(Buffer.from(renderSyntheticFace(p.subject, p.au, { size })));
}

/** Draws the faces of `placements` into a width x height scene over a flat background; returns PNG bytes. */
export async function renderScene(width: number, height: number, background: string, placements: Placement[]): Promise<Buffer> {
  const c = createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, width, height);
  for (const p of placements) {
    const img = await face(p, 192);
    ctx.save();
    ctx.translate(p.cx, p.cy);
    ctx.rotate((p.angle * Math.PI) / 180);
    ctx.scale(p.scale, p.scale);
    ctx.drawImage(img, -96, -96);
    ctx.restore();
  }
  return c.encodeSync('png');
}

const SUBJECTS = ['SN001', 'SN002', 'SN003', 'SN004', 'SN005', 'SN006', 'SN007', 'SN008', 'SN009', 'SN010', 'SN011', 'SN012'];

/**
 * Writes `n` scenes (one face each, different subjects, AU intensities, poses and sizes) and one scene with two faces
 * into `dir`; returns the file paths, sorted.
 */
export async function writeScenes(dir: string, n = 11): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const au: Placement['au'] = {};
    DISFA_AUS.forEach((a, k) => (au[a] = (i * 7 + k * 3) % 6));
    const png = await renderScene(320 + 16 * (i % 3), 300, ['#404040', '#6a7b8c', '#2b2b3a'][i % 3], [
      { subject: SUBJECTS[i % SUBJECTS.length], au, cx: 150 + 6 * (i % 4), cy: 150, angle: -12 + 2.5 * i, scale: 0.95 + 0.05 * (i % 4) },
    ]);
    const f = path.join(dir, `scene${String(i).padStart(2, '0')}.png`);
    fs.writeFileSync(f, png);
    files.push(f);
  }
  const two = await renderScene(560, 300, '#505050', [
    { subject: 'SN013', au: { AU12: 4, AU06: 3 }, cx: 140, cy: 150, angle: 8, scale: 0.95 },
    { subject: 'SN016', au: { AU04: 4, AU01: 2 }, cx: 420, cy: 150, angle: -10, scale: 1.0 },
  ]);
  const f = path.join(dir, 'scene-two-faces.png');
  fs.writeFileSync(f, two);
  files.push(f);
  return files.sort();
}

/** RGBA -> planar YUV 4:2:0 (BT.601 full range, as y4m's C420jpeg), width and height even. */
export function rgbaToI420(rgba: Uint8ClampedArray | Uint8Array, w: number, h: number): Buffer {
  const out = Buffer.alloc(w * h * 1.5);
  const U = w * h, V = U + (w / 2) * (h / 2);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      out[y * w + x] = Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
    }
  }
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const i = ((y + dy) * w + x + dx) * 4;
        r += rgba[i]; g += rgba[i + 1]; b += rgba[i + 2];
      }
      r /= 4; g /= 4; b /= 4;
      const k = (y / 2) * (w / 2) + x / 2;
      out[U + k] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      out[V + k] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  return out;
}

/** A 640 x 480, 30 fps .y4m of `frames` frames: one face drifting and nodding (Chromium loops the file). */
export async function writeWebcamY4m(file: string, frames = 60): Promise<string> {
  const w = 640, h = 480;
  const img = await face({ subject: 'SN003', au: { AU12: 3, AU25: 2 }, cx: 0, cy: 0, angle: 0, scale: 1 }, 192);
  const c = createCanvas(w, h);
  const ctx = c.getContext('2d');
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${w} H${h} F30:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) {
    const t = (2 * Math.PI * i) / frames;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#556070';
    ctx.fillRect(0, 0, w, h);
    ctx.translate(320 + 40 * Math.sin(t), 240 + 15 * Math.cos(t));
    ctx.rotate(0.12 * Math.sin(2 * t));
    ctx.scale(1.3, 1.3);
    ctx.drawImage(img, -96, -96);
    parts.push(Buffer.from('FRAME\n'), rgbaToI420(ctx.getImageData(0, 0, w, h).data, w, h));
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}
