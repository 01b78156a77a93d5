/**
 * Subject appearance beyond face geometry (synthetic set version 2): skin undertone and texture, brow thickness
 * variety, beards, glasses and how blurred (out of focus) the room behind is. Drawn from its own seed stream
 * (deriveSeed(seed, 'appearance', subject)), so the version-1 identity fields are unchanged. None of these
 * moves with an AU: they make faces look more like photographs, never make an AU easier to see.
 */
import { deriveSeed, Rng } from '../../util/rng';
import type { Rgb } from './rgb';

export interface Appearance {
  /** Added to the skin colour (olive, ruddy, yellow, neutral undertones). */
  undertone: Rgb;
  /** Skin texture: strength of large blotches (0..1) and fine pores (0..1), and the seed of its pattern. */
  texture: { mottle: number; grain: number; seed: number };
  /** Multiplies the brow thickness (thin plucked to bushy). */
  browScale: number;
  beard: { style: 'none' | 'stubble' | 'moustache' | 'goatee' | 'full'; alpha: number };
  glasses: { shape: 'round' | 'rect'; color: Rgb; width: number; tint: number } | null;
  /** Gaussian blur of the background at 224 px (depth of field). */
  backgroundBlur: number;
}

const UNDERTONES: Rgb[] = [[0, 0, 0], [8, 2, -8], [12, -3, -5], [6, 1, -12], [-4, -2, 4]];

export function sampleAppearance(seed: number, subject: string): Appearance {
  const rng = new Rng(deriveSeed(seed, 'appearance', subject));
  const undertone = rng.pick(UNDERTONES).map((v) => Math.round(v * rng.uniform(0.5, 1.5))) as Rgb;
  const texture = { mottle: rng.uniform(0.15, 0.6), grain: rng.uniform(0.2, 0.7), seed: deriveSeed(seed, 'skin', subject) };
  const browScale = rng.uniform(0.7, 1.6);
  const bearded = rng.bernoulli(0.3);
  const beard = bearded
    ? { style: rng.pick(['stubble', 'stubble', 'moustache', 'goatee', 'full'] as const), alpha: rng.uniform(0.35, 0.85) }
    : { style: 'none' as const, alpha: 0 };
  const glasses = rng.bernoulli(0.22)
    ? { shape: rng.pick(['round', 'rect'] as const), color: rng.pick<Rgb>([[20, 20, 20], [90, 60, 30], [150, 150, 155], [60, 30, 40]]), width: rng.uniform(0.015, 0.04), tint: rng.uniform(0.03, 0.12) }
    : null;
  return { undertone, texture, browScale, beard, glasses, backgroundBlur: rng.uniform(0, 3) };
}
