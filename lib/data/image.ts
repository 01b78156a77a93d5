/**
 * Image decoding with @napi-rs/canvas: read the file ourselves (a missing file is an error naming it, never
 * a URL fetch), decode with loadImage, draw into a canvas at the target size (optionally a source crop,
 * a horizontal flip or a full affine warp) and read RGB bytes back. Output is HWC uint8 RGB.
 */
import { createCanvas, loadImage, type Canvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { promises as fsp } from 'fs';
import { rgbaToRgb, warpIntoRgb } from './pixels';

/** A region of the source image in relative coordinates (0..1 of width and height). */
export interface RelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DrawOptions {
  /** Source region to draw (default the whole image). */
  crop?: RelBox;
  /** Mirror horizontally. */
  flip?: boolean;
}

const canvases = new Map<string, { canvas: Canvas; ctx: SKRSContext2D }>();

/** One reusable canvas per size (drawing and reading back are synchronous, so sharing is safe). */
function canvasOf(width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const key = `${width}x${height}`;
  let c = canvases.get(key);
  if (!c) {
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    c = { canvas, ctx };
    canvases.set(key, c);
  }
  return c;
}

/** Decodes an image file (JPEG, PNG, WebP, ...). Errors name the file. */
export async function decodeImage(file: string): Promise<Image> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot read image (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return await loadImage(buf);
  } catch (err) {
    throw new Error(`${file}: cannot decode image (${(err as Error).message})`);
  }
}

/** RGBA bytes -> RGB bytes (lib/data/pixels.ts, shared with the exported page). */
export { rgbaToRgb };

/** Draws `img` (or its `crop`, optionally mirrored) into a size x size canvas and returns RGB bytes. */
export function drawToRgb(img: Image, size: number, opts: DrawOptions = {}): Uint8Array {
  const { ctx } = canvasOf(size, size);
  const c = opts.crop ?? { x: 0, y: 0, w: 1, h: 1 };
  const W = img.width;
  const H = img.height;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, size, size);
  if (opts.flip) ctx.setTransform(-1, 0, 0, 1, size, 0);
  ctx.drawImage(img, c.x * W, c.y * H, c.w * W, c.h * H, 0, 0, size, size);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return rgbaToRgb(ctx.getImageData(0, 0, size, size).data);
}

/**
 * Warps `img` by the affine map `m` = [a, b, c, d, e, f] (canvas setTransform order: a source point (x, y)
 * lands at (a x + c y + e, b x + d y + f)) into a size x size canvas; uncovered pixels are black.
 * Returns RGB bytes.
 */
export function warpToRgb(img: Image, size: number, m: readonly number[]): Uint8Array {
  return warpIntoRgb(canvasOf(size, size).ctx, img, size, m);
}

/** Loads `file` resized to size x size (aspect not kept: inputs are square face crops) as HWC RGB bytes. */
export async function loadImageRgb(file: string, size: number, opts: DrawOptions = {}): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`loadImageRgb: size must be a positive integer, got ${size}`);
  return drawToRgb(await decodeImage(file), size, opts);
}

/** Encodes HWC RGB bytes as PNG (default) or JPEG at `quality` (for caches and fixtures). */
export function encodeRgb(rgb: Uint8Array, width: number, height: number, format: 'png' | 'jpeg' = 'png', quality = 95): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const id = ctx.createImageData(width, height);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    id.data[j] = rgb[i * 3];
    id.data[j + 1] = rgb[i * 3 + 1];
    id.data[j + 2] = rgb[i * 3 + 2];
    id.data[j + 3] = 255;
  }
  ctx.putImageData(id, 0, 0);
  return format === 'png' ? canvas.encodeSync('png') : canvas.encodeSync('jpeg', quality);
}

/** `encodeRgb` as PNG. */
export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Buffer {
  return encodeRgb(rgb, width, height, 'png');
}
