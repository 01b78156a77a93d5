/**
 * Training-time augmentation on square face crops, seeded: random crop (a square window whose side is a random
 * fraction of the image, at a random position, resized back to the input size), horizontal flip and colour
 * jitter (brightness, contrast, saturation with torchvision's ColorJitter factor ranges [max(0, 1 - j), 1 + j]).
 * ME-GraphAU's recipe (resize 256, random crop 224, flip, colour jitter) is `{ crop: { scale: [0.875, 0.875] },
 * flip: true, colorJitter: {...} }`. Parameters are drawn per (seed, epoch, frame), so a batch is the same
 * whatever the prefetch order.
 */
import { deriveSeed, Rng } from '../util/rng';
import type { RelBox } from './image';

export interface AugmentConfig {
  /** Random square crop; side = uniform(scale[0], scale[1]) of the image side. */
  crop?: { scale: [number, number] } | null;
  /** Mirror horizontally with probability 0.5. */
  flip?: boolean;
  /** Factors uniform in [max(0, 1 - j), 1 + j] per property; 0 or absent = off. */
  colorJitter?: { brightness?: number; contrast?: number; saturation?: number } | null;
}

/** The concrete augmentation of one image. */
export interface AugmentParams {
  crop?: RelBox;
  flip: boolean;
  brightness: number;
  contrast: number;
  saturation: number;
}

/** Checks a config, naming the bad field. */
export function validateAugment(cfg: AugmentConfig): void {
  if (cfg.crop) {
    const [lo, hi] = cfg.crop.scale;
    if (!(lo > 0 && hi <= 1 && lo <= hi)) throw new Error(`augment.crop.scale must satisfy 0 < lo <= hi <= 1, got [${lo}, ${hi}]`);
  }
  for (const [k, v] of Object.entries(cfg.colorJitter ?? {})) {
    if (v !== undefined && !(v >= 0)) throw new Error(`augment.colorJitter.${k} must be >= 0, got ${v}`);
  }
}

/** Draws the augmentation of one image from (seed, epoch, frame index). */
export function sampleAugment(cfg: AugmentConfig, seed: number, epoch: number, index: number): AugmentParams {
  const rng = new Rng(deriveSeed(seed, 'augment', epoch, index));
  const p: AugmentParams = { flip: false, brightness: 1, contrast: 1, saturation: 1 };
  if (cfg.crop) {
    const s = rng.uniform(cfg.crop.scale[0], cfg.crop.scale[1]);
    p.crop = { x: rng.uniform(0, 1 - s), y: rng.uniform(0, 1 - s), w: s, h: s };
  }
  if (cfg.flip) p.flip = rng.bernoulli(0.5);
  const j = cfg.colorJitter ?? {};
  const factor = (v?: number) => (v ? rng.uniform(Math.max(0, 1 - v), 1 + v) : 1);
  p.brightness = factor(j.brightness);
  p.contrast = factor(j.contrast);
  p.saturation = factor(j.saturation);
  return p;
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * Colour jitter in place on HWC RGB bytes, in torchvision's order brightness -> contrast -> saturation:
 * brightness scales pixels, contrast blends with the mean grey level, saturation blends with each pixel's
 * grey value (ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B).
 */
export function colorJitterInPlace(rgb: Uint8Array, p: Pick<AugmentParams, 'brightness' | 'contrast' | 'saturation'>): void {
  const n = rgb.length / 3;
  if (p.brightness !== 1) for (let i = 0; i < rgb.length; i++) rgb[i] = clamp255(rgb[i] * p.brightness);
  if (p.contrast !== 1) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
    const mean = sum / n;
    for (let i = 0; i < rgb.length; i++) rgb[i] = clamp255(mean + p.contrast * (rgb[i] - mean));
  }
  if (p.saturation !== 1) {
    for (let i = 0; i < n; i++) {
      const g = 0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2];
      for (let c = 0; c < 3; c++) rgb[3 * i + c] = clamp255(g + p.saturation * (rgb[3 * i + c] - g));
    }
  }
}
