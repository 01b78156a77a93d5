/**
 * Imaging conditions of a synthetic frame (head pose, scale, translation, lighting, blur, sensor noise, blinks,
 * gaze): their type, the neutral setting for galleries, and how a frame's conditions are drawn from the subject's
 * pose habit, the frame's time and a per-frame seed.
 */
import { deriveSeed, Rng } from '../../util/rng';
import type { Identity } from './identity';

/** Per-frame imaging conditions. Angles in radians; translation in fractions of the image size. */
export interface Nuisance {
  roll: number;
  yaw: number;
  scale: number;
  tx: number;
  ty: number;
  /** Direction the light comes from (radians, image plane) and how strong the gradient is (0..0.4). */
  lightAngle: number;
  lightStrength: number;
  /** Overall exposure (1 = nominal). */
  level: number;
  /** Gaussian blur sigma in pixels at 224 px (scaled with the image size). */
  blur: number;
  /** Sensor noise strength (0..0.25, alpha of the noise overlay). */
  noise: number;
  noiseX: number;
  noiseY: number;
  /** 0 = eyes open, 1 = closed. */
  blink: number;
  gazeX: number;
  gazeY: number;
  /**
   * Version 2. Error of the eye centres the crop is aligned on, in inter-ocular distances (left x, left y, right
   * x, right y), as a landmark detector makes on real photos; the crop is framed by lib/data/align's eye similarity.
   */
  eyeError: [number, number, number, number];
  /** White balance: per-channel gain (R, G, B), around 1. */
  tint: [number, number, number];
}

/** Frontal, centred, evenly lit, sharp, noiseless: for galleries. */
export function neutralNuisance(): Nuisance {
  return { roll: 0, yaw: 0, scale: 1, tx: 0, ty: 0, lightAngle: 0, lightStrength: 0, level: 1, blur: 0, noise: 0, noiseX: 0, noiseY: 0, blink: 0, gazeX: 0, gazeY: 0, eyeError: [0, 0, 0, 0], tint: [1, 1, 1] };
}

const MAX_ROLL = 0.18; // ~10 degrees
const MAX_YAW = 0.35; // ~20 degrees (version 2; 0.22 in version 1)

/**
 * Nuisance for a frame at `time` (frames on the subject's timeline) with per-frame randomness from `frameSeed`.
 * Bounds (roll <= 10.3 deg, yaw <= 20 deg, scale 0.9-1.1, |translation| <= 0.035) keep the face in the frame.
 */
export function sampleNuisance(identity: Identity, time: number, frameSeed: number): Nuisance {
  const { pose } = identity;
  const ph = pose.phase;
  const w = (period: number, k: number) => Math.sin((2 * Math.PI * time) / period + ph[k]);
  const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  const rng = new Rng(frameSeed);
  const blinking = rng.bernoulli(0.03);
  const v2 = new Rng(deriveSeed(frameSeed, 'nuisance-v2'));
  const warm = v2.normal(0, 0.06);
  return {
    roll: clamp(pose.roll + pose.motion * (0.07 * w(310, 0) + 0.03 * w(97, 1)) + rng.normal(0, 0.005), MAX_ROLL),
    yaw: clamp(1.5 * pose.yaw + pose.motion * (0.15 * w(420, 2) + 0.05 * w(131, 3)) + rng.normal(0, 0.005), MAX_YAW),
    scale: Math.max(0.9, Math.min(1.1, 1 + 0.05 * w(530, 4) + 0.02 * w(170, 5))),
    tx: clamp(0.022 * w(610, 6) + 0.008 * w(143, 1), 0.035),
    ty: clamp(0.02 * w(470, 7) + 0.008 * w(117, 2), 0.035),
    lightAngle: ph[6] * 3 + 0.6 * w(800, 3),
    lightStrength: Math.max(0, 0.16 + 0.12 * w(650, 7) + rng.normal(0, 0.02)),
    level: Math.max(0.7, Math.min(1.25, 0.97 + 0.12 * w(720, 5) + rng.normal(0, 0.02))),
    blur: rng.uniform(0, 1.1),
    noise: rng.uniform(0.02, 0.1),
    noiseX: rng.next(),
    noiseY: rng.next(),
    blink: blinking ? rng.uniform(0.6, 1) : 0,
    gazeX: 0.5 * w(90, 4) + rng.normal(0, 0.15),
    gazeY: 0.3 * w(75, 0),
    eyeError: [v2.normal(0, 0.03), v2.normal(0, 0.03), v2.normal(0, 0.03), v2.normal(0, 0.03)],
    tint: [1 + warm + v2.normal(0, 0.02), 1 + v2.normal(0, 0.02), 1 - warm + v2.normal(0, 0.02)],
  };
}
