/**
 * Browser side of the aligned crop, as Node's predict makes it (lib/data/align/face_crop.ts alignedFaceRgb ->
 * lib/data/image.ts warpToRgb, on a Skia canvas with imageSmoothingQuality 'high'): the same warp (lib/data/pixels.ts
 * warpIntoRgb) by the eye similarity straight into an inputSize x inputSize canvas over black, read back as RGB bytes.
 */
import { eyeAlignTransform, type Point } from '../../data/align/geometry';
import { rgbaToRgb, warpIntoRgb } from '../../data/pixels';
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
    return warpIntoRgb<Frame>(this.c.ctx, frame, size, m);
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
