/**
 * What every facial region draws with: the canvas in face units (origin: centre of the eye line, x to the image's
 * right, y down), the identity, the AU strengths (intensity / 5, clamped to 0..1), the yaw projection `P` of a
 * point on the curved head surface, skin tones, the AU26 jaw drop, and the `line` and `blob` strokes.
 */
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { DisfaAu } from '../aus';
import type { Identity, Rgb } from './identity';
import type { Nuisance } from './nuisance';
import { rgba, shade, smoothOpen, type Pt } from './paint';

export type Intensities = Partial<Record<DisfaAu, number>>;

export interface FaceContext {
  ctx: SKRSContext2D;
  id: Identity;
  nz: Nuisance;
  au: Intensities;
  /** AU strength 0..1 (intensity / 5). */
  s: (name: DisfaAu) => number;
  /** sin(yaw). */
  sy: number;
  /** Projects face-unit point (x, y) at extra depth dz over the curved head. */
  P: (x: number, y: number, dz?: number) => Pt;
  skin: Rgb;
  /** Shadow tone of the skin (wrinkles, folds). */
  dark: Rgb;
  /** AU26 jaw drop in face units. */
  drop: number;
  /** A smooth open stroke (skipped when alpha <= 0.01). */
  line: (pts: Pt[], color: Rgb, alpha: number, width: number) => void;
  /** The subject's skin texture (overlay over the face), when the renderer provides one. */
  skinTexture: Canvas | null;
  /** A soft radial spot at face-unit (x, y). */
  blob: (x: number, y: number, r: number, color: Rgb, alpha: number, dz?: number) => void;
}

/** The yaw projection of face-unit points over the curved head (see FaceContext.P). */
export function projector(id: Identity, nz: Nuisance): (x: number, y: number, dz?: number) => Pt {
  const cy = Math.cos(nz.yaw), sy = Math.sin(nz.yaw);
  const st = id.face.stretch;
  // yaw: a point at depth z (head surface + dz) moves sideways by z sin(yaw); the outline (z ~ 0) narrows
  return (x: number, y: number, dz = 0): Pt => {
    const z = 0.85 * Math.sqrt(Math.max(0, 1 - (x / 1.05) * (x / 1.05))) + dz;
    return [x * cy + z * sy, y * st];
  };
}

export function faceContext(ctx: SKRSContext2D, id: Identity, au: Intensities, nz: Nuisance, skinTexture: Canvas | null = null): FaceContext {
  const s = (name: DisfaAu) => Math.max(0, Math.min(5, au[name] ?? 0)) / 5;
  const sy = Math.sin(nz.yaw);
  const P = projector(id, nz);
  const skin = id.skin;
  const dark = shade(skin, 0.62);
  const drop = 0.25 * s('AU26'); // jaw drop in face units
  const line = (pts: Pt[], color: Rgb, alpha: number, width: number) => {
    if (alpha <= 0.01) return;
    ctx.strokeStyle = rgba(color, alpha);
    ctx.lineWidth = width;
    ctx.lineCap = 'round';
    ctx.beginPath();
    smoothOpen(ctx, pts);
    ctx.stroke();
  };
  const blob = (x: number, y: number, r: number, color: Rgb, alpha: number, dz = 0) => {
    if (alpha <= 0.01) return;
    const [px, py] = P(x, y, dz);
    const g = ctx.createRadialGradient(px, py, 0, px, py, r);
    g.addColorStop(0, rgba(color, alpha));
    g.addColorStop(1, rgba(color, 0));
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.arc(px, py, r, 0, 2 * Math.PI);
    ctx.fill();
  };
  return { ctx, id, nz, au, s, sy, P, skin, dark, drop, line, blob, skinTexture };
}
