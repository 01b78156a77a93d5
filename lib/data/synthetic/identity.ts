/**
 * Subject identities of the synthetic DISFA set: face shape and proportions, skin tone, brow/eye/nose/mouth
 * geometry, hair and the room behind the subject, drawn once per subject from (seed, subject) and fixed across
 * its frames. Geometry is in face units: the origin is the middle of the eye line, x to the subject's left on
 * the image's right, y down; one unit is about half the face width at the eyes.
 */
import { deriveSeed, Rng } from '../../util/rng';
import { sampleAppearance, type Appearance } from './appearance';

import type { Rgb } from './rgb';
export type { Rgb };
export type { Appearance } from './appearance';

export interface Identity {
  subject: string;
  /** Half widths of the face at the temples, cheekbones and jaw angle; chin half width; vertical stretch. */
  face: { temple: number; cheek: number; jaw: number; jawY: number; chin: number; chinY: number; top: number; stretch: number };
  skin: Rgb;
  /** Cheek colour (rosier than skin) and its strength. */
  blush: number;
  hair: { color: Rgb; style: 'short' | 'long' | 'bun' | 'receding' | 'curly'; hairline: number; volume: number };
  brow: { y: number; inner: number; length: number; arch: number; thickness: number; color: Rgb; slant: number };
  eye: { spacing: number; halfWidth: number; open: number; lowerOpen: number; iris: Rgb; irisR: number; tilt: number };
  nose: { tipY: number; width: number; length: number; bridge: number };
  mouth: { y: number; halfWidth: number; upper: number; lower: number; color: Rgb; bow: number };
  ears: { y: number; size: number };
  /** Clothing colour below the neck and the room behind the subject. */
  clothes: Rgb;
  background: { base: Rgb; accent: Rgb; pattern: 'stripes' | 'blobs' | 'panels' | 'plain'; seed: number };
  /** Subject-level head pose habit: mean roll and yaw (radians) and how much the head moves. */
  pose: { roll: number; yaw: number; motion: number; phase: number[] };
  /** Skin texture, undertone, brows, beard, glasses, background focus (version 2; appearance.ts). */
  appearance: Appearance;
}

const SKIN_LIGHT: Rgb = [241, 210, 186];
const SKIN_DARK: Rgb = [92, 60, 44];
const HAIR_COLORS: Rgb[] = [[25, 20, 18], [48, 33, 24], [82, 55, 35], [120, 85, 50], [186, 150, 96], [140, 62, 30], [150, 148, 145]];

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t)) as Rgb;
}

function jitter(c: Rgb, rng: Rng, amount: number): Rgb {
  return c.map((v) => Math.max(0, Math.min(255, Math.round(v + rng.normal(0, amount))))) as Rgb;
}

/** The identity of `subject`, deterministic from (seed, subject). */
export function sampleIdentity(seed: number, subject: string): Identity {
  const rng = new Rng(deriveSeed(seed, 'identity', subject));
  const u = (lo: number, hi: number) => rng.uniform(lo, hi);
  const tone = Math.pow(rng.next(), 1.1);
  const skin = jitter(mix(SKIN_LIGHT, SKIN_DARK, tone), rng, 6);
  const hairColor = tone > 0.55 ? HAIR_COLORS[rng.int(0, 2)] : rng.pick(HAIR_COLORS);
  const style = rng.pick(['short', 'long', 'bun', 'receding', 'curly'] as const);
  const browColor = mix(hairColor, [20, 15, 12], u(0.2, 0.6));
  const temple = u(0.9, 1.0);
  const face = {
    temple,
    cheek: temple + u(0.0, 0.08),
    jaw: u(0.72, 0.9),
    jawY: u(0.72, 0.88),
    chin: u(0.24, 0.4),
    chinY: u(1.16, 1.28),
    top: u(-1.25, -1.12),
    stretch: u(0.95, 1.05),
  };
  const bgBase = jitter(rng.pick<Rgb>([[200, 200, 195], [160, 170, 180], [120, 110, 100], [70, 80, 95], [210, 195, 170], [90, 110, 90]]), rng, 15);
  const appearance = sampleAppearance(seed, subject);
  const toned = skin.map((v, i) => Math.max(0, Math.min(255, v + appearance.undertone[i]))) as Rgb;
  return {
    subject,
    face,
    skin: toned,
    blush: u(0.1, 0.35),
    hair: { color: jitter(hairColor, rng, 6), style, hairline: u(-1.0, -0.86) - (style === 'receding' ? 0.1 : 0), volume: u(0.1, 0.25) },
    brow: { y: u(-0.36, -0.28), inner: u(0.1, 0.17), length: u(0.46, 0.58), arch: u(0.03, 0.08), thickness: u(0.055, 0.1) * appearance.browScale, color: browColor, slant: u(-0.04, 0.04) },
    eye: {
      spacing: u(0.36, 0.44),
      halfWidth: u(0.14, 0.18),
      open: u(0.075, 0.1),
      lowerOpen: u(0.045, 0.065),
      iris: jitter(rng.pick<Rgb>([[60, 40, 25], [90, 60, 35], [70, 100, 130], [80, 110, 70], [40, 30, 25]]), rng, 8),
      irisR: u(0.055, 0.068),
      tilt: u(-0.03, 0.04),
    },
    nose: { tipY: u(0.4, 0.5), width: u(0.13, 0.19), length: u(0.85, 1.0), bridge: u(0.05, 0.08) },
    mouth: {
      y: u(0.74, 0.84),
      halfWidth: u(0.32, 0.4),
      upper: u(0.065, 0.095),
      lower: u(0.085, 0.12),
      color: mix(skin, [170, 70, 75], u(0.35, 0.6)),
      bow: u(0.01, 0.025),
    },
    ears: { y: u(-0.02, 0.1), size: u(0.22, 0.3) },
    clothes: jitter(rng.pick<Rgb>([[40, 50, 80], [120, 30, 35], [60, 60, 60], [200, 200, 200], [40, 90, 60], [150, 120, 80]]), rng, 20),
    background: {
      base: bgBase,
      accent: jitter(mix(bgBase, rng.pick<Rgb>([[255, 255, 255], [0, 0, 0], [120, 60, 40], [40, 60, 120]]), 0.35), rng, 10),
      pattern: rng.pick(['stripes', 'blobs', 'panels', 'plain'] as const),
      seed: deriveSeed(seed, 'background', subject),
    },
    pose: { roll: rng.normal(0, 0.03), yaw: rng.normal(0, 0.05), motion: u(0.5, 1.0), phase: Array.from({ length: 8 }, () => u(0, 2 * Math.PI)) },
    appearance,
  };
}
