/** Drawing helpers of the synthetic renderer: colours and smooth curves (Catmull-Rom as cubic Beziers). */
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Rgb } from './identity';

export type Pt = [number, number];

export function rgba(c: Rgb, a = 1): string {
  return `rgba(${c[0]},${c[1]},${c[2]},${Math.max(0, Math.min(1, a)).toFixed(3)})`;
}

export function shade(c: Rgb, f: number): Rgb {
  return [Math.min(255, Math.round(c[0] * f)), Math.min(255, Math.round(c[1] * f)), Math.min(255, Math.round(c[2] * f))];
}

export function mixRgb(a: Rgb, c: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (c[i] - a[i]) * t)) as Rgb;
}

/** Closed smooth curve through points (Catmull-Rom as cubic Beziers). */
export function smoothClosed(ctx: SKRSContext2D, p: Pt[]): void {
  const n = p.length;
  ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 0; i < n; i++) {
    const p0 = p[(i - 1 + n) % n], p1 = p[i], p2 = p[(i + 1) % n], p3 = p[(i + 2) % n];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
  ctx.closePath();
}

/** Open smooth curve through points. */
export function smoothOpen(ctx: SKRSContext2D, p: Pt[]): void {
  ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 0; i < p.length - 1; i++) {
    const p0 = p[Math.max(0, i - 1)], p1 = p[i], p2 = p[i + 1], p3 = p[Math.min(p.length - 1, i + 2)];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
}

/** Continues the current path with an open smooth curve through points (no moveTo). */
export function smoothOpenContinue(ctx: SKRSContext2D, p: Pt[]): void {
  for (let i = 0; i < p.length - 1; i++) {
    const p0 = p[Math.max(0, i - 1)], p1 = p[i], p2 = p[i + 1], p3 = p[Math.min(p.length - 1, i + 2)];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
}
