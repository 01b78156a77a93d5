/**
 * The one alignment step shared by real photos (predict, the crop cache) and the synthetic renderer's full
 * frames: warp an image by the eye similarity (`eyeAlignTransform`) into a square crop, so a training crop and a
 * real crop frame a face the same way.
 */
import type { Canvas, Image } from '@napi-rs/canvas';
import { warpToRgb } from '../image';
import { DEFAULT_ALIGN, eyeAlignTransform, type AlignSettings, type Point } from './geometry';

/** RGB bytes [size, size, 3] of the face whose eye centres (image-left first) are `eyes`. */
export function alignedFaceRgb(img: Image | Canvas, eyes: [Point, Point], settings: Partial<AlignSettings> = {}): Uint8Array {
  const s = { ...DEFAULT_ALIGN, ...settings };
  return warpToRgb(img as Image, s.size, eyeAlignTransform(eyes[0], eyes[1], s));
}
