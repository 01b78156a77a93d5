/**
 * The synthetic set in DISFA's raw layout: one video per subject and one 66-point landmark file per frame, so
 * the path a licensed DISFA copy takes (`fer-au data prepare`: stream-decode, align from landmarks) runs here.
 *
 *   OUT/Videos_LeftCamera/LeftVideoSNxxx_comp.avi               MPEG-4 part 2 in AVI, 20 fps, W x H (default
 *                                                              DISFA's 1024 x 768), the face drifting in the frame
 *   OUT/Landmark_Points/SNxxx/tmp_frame_lm/SNxxx_{i:04d}_lm.mat  i = frame - 1; MAT v5 with pts, 66 x 2 (x, y)
 *
 * Each frame is the aligned synthetic face (render.ts, at `size`) placed into the frame by a slowly drifting
 * camera similarity (scale, roll, translation from (seed, subject, frame) only). The landmarks are the drawn
 * face's geometry carried through the same transforms: the 12 eye points (36-47) from the drawn eye's corners
 * and lids (AU-driven lid motion ignored: under 0.01 face units), the other 54 from a fixed face template
 * scaled by the identity's proportions. Alignment uses the eye points only.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { deriveSeed, Rng } from '../../util/rng';
import { applyAffine, type Affine, type Point } from '../align/geometry';
import { disfaLandmarkFileName } from '../disfa_landmarks';
import { encodeMatDouble } from '../mat';
import type { Identity } from './identity';
import { framing, type Nuisance } from './render';

export const VIDEO_FPS = 20;
export const DEFAULT_FRAME_SIZE: [number, number] = [1024, 768];

export function videoFile(out: string, subject: string): string {
  return path.join(out, 'Videos_LeftCamera', `LeftVideo${subject}_comp.avi`);
}

export function landmarkDir(out: string, subject: string): string {
  return path.join(out, 'Landmark_Points', subject, 'tmp_frame_lm');
}

/** The 66 points in face units (origin: eye-line centre, x to the image right, y down), before yaw. */
function faceTemplate(id: Identity): [number, number, number][] {
  const pts: [number, number, number][] = []; // x, y, depth offset
  for (let k = 0; k <= 16; k++) {
    const phi = Math.PI * (1 - k / 16);
    pts.push([Math.cos(phi), 0.1 + 1.3 * Math.sin(phi), -0.1]);
  }
  const b = id.brow;
  for (const sx of [-1, 1]) {
    const row: [number, number, number][] = [];
    for (let k = 0; k < 5; k++) {
      const x = sx * (b.inner + (b.length * (4 - k)) / 4);
      row.push([x, b.y - b.arch * Math.sin((Math.PI * (4 - k)) / 4), 0.05]);
    }
    pts.push(...(sx < 0 ? row : row.reverse()));
  }
  const n = id.nose;
  for (let k = 0; k < 4; k++) pts.push([0, 0.05 + (n.tipY * 0.85 * k) / 3, 0.15 + 0.05 * k]);
  for (let k = 0; k < 5; k++) pts.push([n.width * (k / 2 - 1), n.tipY + 0.03 * (1 - Math.abs(k / 2 - 1)), 0.12]);
  const e = id.eye;
  for (const sx of [-1, 1]) {
    const cx = sx * e.spacing, ey = -sx * e.tilt * 0.5, hw = e.halfWidth;
    const inner: [number, number, number] = [cx - sx * hw, ey + 0.01, 0.02];
    const outer: [number, number, number] = [cx + sx * hw, ey - sx * e.tilt * 0.6 - 0.01, -0.05];
    const up = (f: number): [number, number, number] => [cx + f * hw, ey - e.open, 0.05];
    const lo = (f: number): [number, number, number] => [cx + f * hw, ey + e.lowerOpen, 0.05];
    // iBUG order, clockwise in the image from the image-left corner
    if (sx < 0) pts.push(outer, up(-1 / 3), up(1 / 3), inner, lo(1 / 3), lo(-1 / 3));
    else pts.push(inner, up(-1 / 3), up(1 / 3), outer, lo(1 / 3), lo(-1 / 3));
  }
  const m = id.mouth;
  for (let k = 0; k < 12; k++) {
    const a = Math.PI + (2 * Math.PI * k) / 12; // from the image-left corner, over the top
    const h = Math.sin(a) < 0 ? m.upper : m.lower;
    pts.push([m.halfWidth * Math.cos(a), m.y + h * Math.sin(a), 0.1]);
  }
  for (const [f, up] of [[-0.5, 1], [0, 1], [0.5, 1], [0.5, -1], [0, -1], [-0.5, -1]] as const) {
    pts.push([m.halfWidth * 0.8 * f, m.y - up * 0.01, 0.08]);
  }
  return pts;
}

/** The 66 landmarks of a rendered face in the rendered image's pixels (size x size). */
export function renderedLandmarks(id: Identity, nz: Nuisance, size: number): Point[] {
  const cy = Math.cos(nz.yaw), sy = Math.sin(nz.yaw), st = id.face.stretch;
  // render.ts's framing (version 2): face units -> camera frame (scene) -> eye-aligned image (crop)
  const { scene, crop } = framing(id, nz, size);
  return faceTemplate(id).map(([x, y, dz]) => {
    // render.ts's P(): a point at depth z moves sideways by z sin(yaw)
    const z = 0.85 * Math.sqrt(Math.max(0, 1 - (x / 1.05) * (x / 1.05))) + dz;
    return applyAffine(crop, applyAffine(scene, [x * cy + z * sy, y * st]));
  });
}

/** The camera similarity placing the rendered size x size face into a width x height frame at frame index i. */
export function cameraTransform(seed: number, subject: string, i: number, size: number, width: number, height: number): Affine {
  const rng = new Rng(deriveSeed(seed, 'camera', subject));
  const ph = Array.from({ length: 4 }, () => rng.uniform(0, 2 * Math.PI));
  const base = rng.uniform(1.5, 1.9) * (height / 768) * (256 / size);
  const w = (period: number, k: number) => Math.sin((2 * Math.PI * i) / period + ph[k]);
  const g = base * (1 + 0.04 * w(700, 0));
  const rho = 0.05 * w(900, 1);
  const cx = width / 2 + 0.06 * width * w(800, 2), cyy = height / 2 + 0.05 * height * w(650, 3);
  const a = g * Math.cos(rho), b = g * Math.sin(rho);
  // q -> c + g R(rho) (q - size/2)
  return [a, b, -b, a, cx - a * (size / 2) + b * (size / 2), cyy - b * (size / 2) - a * (size / 2)];
}

/** An integer pixel rectangle [x0, y0, x1, y1) (x1, y1 exclusive). */
type Rect = [number, number, number, number];

function union(a: Rect | null, b: Rect): Rect {
  return a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b;
}

/**
 * Composes frames of one subject into a width x height canvas and hands out the frame's RGBA bytes.
 *
 * Why not a full redraw: reading the whole 1024 x 768 canvas back (getImageData, 3 MB) cost more CPU per frame
 * than rendering the face. The frame is the plain background except where the face lands, so only that
 * rectangle (the face's transformed corners plus a margin for the edge antialiasing) is cleared, drawn and read
 * back, into two frame buffers filled with the background once. The bytes equal a full redraw's (the canvas
 * under the face is the background either way; test/data/synthetic_video.test.ts compares them).
 */
export class VideoComposer {
  /** Pixels beyond the transformed face corners that drawing may touch (edge antialiasing, bilinear taps). */
  static readonly MARGIN = 3;
  private readonly canvas: Canvas;
  private readonly ctx: SKRSContext2D;
  private background = '';
  /** Where the canvas differs from the background (the last face drawn). */
  private drawn: Rect | null = null;
  /** Double buffer: a frame handed out stays valid until the compose after next (an encoder may still hold it). */
  private readonly buffers: { bytes: Buffer; stale: Rect | null }[];
  private next = 0;

  constructor(readonly width: number, readonly height: number) {
    this.canvas = createCanvas(width, height);
    this.ctx = this.canvas.getContext('2d');
    this.buffers = [0, 1].map(() => ({ bytes: Buffer.alloc(width * height * 4), stale: null }));
  }

  /** The face's footprint under `m`, with the margin, clipped to the frame. */
  private footprint(face: Canvas, m: Affine): Rect {
    const corners = [[0, 0], [face.width, 0], [0, face.height], [face.width, face.height]].map((p) => applyAffine(m, p as Point));
    const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
    const k = VideoComposer.MARGIN;
    const clip = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
    return [
      clip(Math.floor(Math.min(...xs)) - k, this.width), clip(Math.floor(Math.min(...ys)) - k, this.height),
      clip(Math.ceil(Math.max(...xs)) + k, this.width), clip(Math.ceil(Math.max(...ys)) + k, this.height),
    ];
  }

  /** A new background: the whole canvas and both buffers become it. */
  private reset(fill: string): void {
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, this.width, this.height);
    const d = ctx.getImageData(0, 0, this.width, this.height).data;
    for (const b of this.buffers) {
      b.bytes.set(d);
      b.stale = null;
    }
    this.background = fill;
    this.drawn = null;
  }

  /**
   * Draws `face` through `m` on a plain background and returns the frame's RGBA bytes, [height, width, 4].
   * The buffer is reused by the compose after next: hand it on (or copy it) before then.
   */
  compose(face: Canvas, m: Affine, background: [number, number, number]): Buffer {
    const ctx = this.ctx;
    const fill = `rgb(${background.join(',')})`;
    if (fill !== this.background) this.reset(fill);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = fill;
    if (this.drawn) ctx.fillRect(this.drawn[0], this.drawn[1], this.drawn[2] - this.drawn[0], this.drawn[3] - this.drawn[1]);
    ctx.imageSmoothingEnabled = true;
    ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    ctx.drawImage(face, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const now = this.footprint(face, m);
    this.drawn = now;
    const buf = this.buffers[this.next];
    this.next = 1 - this.next;
    // this buffer still shows the face of two frames ago: refresh that region too (the canvas is background there)
    const [x0, y0, x1, y1] = union(buf.stale, now);
    buf.stale = now;
    if (x1 <= x0 || y1 <= y0) return buf.bytes;
    const d = ctx.getImageData(x0, y0, x1 - x0, y1 - y0).data;
    const row = (x1 - x0) * 4;
    for (let y = y0; y < y1; y++) buf.bytes.set(d.subarray((y - y0) * row, (y - y0 + 1) * row), (y * this.width + x0) * 4);
    return buf.bytes;
  }
}

/**
 * An ffmpeg process encoding raw RGBA frames from stdin to `file` (MPEG-4 part 2, quality 4, a keyframe a second).
 * `write` resolves when the frame has been handed to the pipe, so its buffer may then be reused.
 */
export function startEncoder(file: string, width: number, height: number): { write: (frame: Buffer) => Promise<void>; close: () => Promise<void> } {
  const child = spawn('ffmpeg', [
    '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(VIDEO_FPS), '-i', 'pipe:0',
    '-c:v', 'mpeg4', '-q:v', '4', '-g', String(VIDEO_FPS), '-pix_fmt', 'yuv420p', '-f', 'avi', file,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const fail = () => new Error(`${file}: ffmpeg encoder failed (${stderr.trim().split('\n').pop() ?? 'no message'})`);
  let broken = false;
  child.stdin.on('error', () => {
    broken = true;
  });
  return {
    write: (frame) => {
      const p = new Promise<void>((resolve, reject) => {
        if (broken) reject(fail());
        else child.stdin.write(frame, (err) => (err ? reject(fail()) : resolve()));
      });
      p.catch(() => {}); // awaited by the caller; a failed pipe also fails `close`
      return p;
    },
    close: async () => {
      child.stdin.end();
      if ((await exited) !== 0) throw fail();
    },
  };
}

/** Writes one landmark file (frame 1-based) into `dir`. */
export function writeLandmarkFile(dir: string, subject: string, frame: number, pts: Point[], m: Affine): void {
  fs.writeFileSync(path.join(dir, disfaLandmarkFileName(subject, frame)), encodeMatDouble('pts', pts.map((p) => applyAffine(m, p))));
}
