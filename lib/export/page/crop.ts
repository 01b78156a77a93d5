/**
 * Browser side of the aligned crop, as Node's predict makes it (lib/data/align/face_crop.ts alignedFaceRgb ->
 * lib/data/image.ts warpToRgb, on a Skia canvas with imageSmoothingQuality 'high'): warp the frame by the eye
 * similarity straight into an inputSize x inputSize canvas over black and read its RGB bytes.
 */
import { eyeAlignTransform, type Point } from '../../data/align/geometry';
import type { SiteAlignConfig } from '../site_config';

type Frame = HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageBitmap;

function canvas2d(width: number, height: number): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2d canvas context');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return { canvas, ctx };
}

/** RGBA bytes -> RGB bytes (lib/data/image rgbaToRgb). */
export function rgbaToRgb(rgba: Uint8ClampedArray): Uint8Array {
  const n = rgba.length >> 2;
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i * 3] = rgba[j];
    out[i * 3 + 1] = rgba[j + 1];
    out[i * 3 + 2] = rgba[j + 2];
  }
  return out;
}

/** Makes aligned model-input crops in one reused canvas. */
export class Cropper {
  private readonly c: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D };

  constructor(private readonly cfg: SiteAlignConfig, private readonly size: number) {
    this.c = canvas2d(size, size);
  }

  /** RGB bytes [size, size, 3] of the face whose eye centres (image-left first) are `eyes`, cut from `frame`. */
  crop(frame: Frame, eyes: [Point, Point]): Uint8Array {
    const { size } = this;
    const m = eyeAlignTransform(eyes[0], eyes[1], { size, eyeDistance: this.cfg.eyeDistance, eyeY: this.cfg.eyeY });
    const ctx = this.c.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
    ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    ctx.drawImage(frame, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    return rgbaToRgb(ctx.getImageData(0, 0, size, size).data);
  }
}

/** Draws any image source at its natural size into a reused canvas; returns the canvas and its RGB bytes. */
export class FrameGrabber {
  private readonly c = canvas2d(1, 1);

  grab(source: Frame): { canvas: HTMLCanvasElement; rgb: Uint8Array; width: number; height: number } {
    const width = source instanceof HTMLVideoElement ? source.videoWidth : source instanceof HTMLImageElement ? source.naturalWidth : source.width;
    const height = source instanceof HTMLVideoElement ? source.videoHeight : source instanceof HTMLImageElement ? source.naturalHeight : source.height;
    if (!width || !height) throw new Error('ferAu.predict: the source has no pixels yet (image not loaded or video not started)');
    const { canvas, ctx } = this.c;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(source, 0, 0);
    return { canvas, rgb: rgbaToRgb(ctx.getImageData(0, 0, width, height).data), width, height };
  }
}
