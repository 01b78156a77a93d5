/**
 * Draws a synthetic face from an identity, AU intensities and nuisance parameters with @napi-rs/canvas (Skia).
 *
 * Each AU is drawn as its FACS appearance change (lib/data/aus.ts AU_INFO), with a strength proportional to the
 * intensity (intensity / 5), so intensity 1 is visible but weak:
 * AU1 inner brow ends up + central forehead wrinkles; AU2 outer brows up (arch) + lateral forehead wrinkles;
 * AU4 brows down and together + vertical furrows between them + lids lowered; AU5 upper lids up (sclera above
 * the iris); AU6 cheeks up, lower lids up (eyes narrowed), crow's feet, infraorbital furrow; AU9 nose-root
 * wrinkles, nostril wings and upper lip raised, inner brows down; AU12 lip corners up and out, deep nasolabial
 * folds; AU15 lip corners down with bulges below them; AU17 lower lip and chin boss pushed up, chin dimpling
 * and a deep mentolabial crease; AU20 mouth stretched wide and flattened; AU25 lips apart (teeth, dark
 * interior); AU26 jaw, chin and lower lip moved down.
 *
 * Nuisance: head roll and small yaw (features shift over a curved head), scale, translation, lighting direction
 * and level, blur, sensor noise, blinks and gaze; the room behind the subject is a per-subject texture. Pose and
 * light drift smoothly with the frame's time on the subject's timeline; blur, noise and blinks vary per frame.
 * All bounds keep the face inside the image (see `sampleNuisance`).
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { deriveSeed, Rng } from '../../util/rng';
import type { DisfaAu } from '../aus';
import { sampleIdentity, type Identity, type Rgb } from './identity';

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
}

/** Frontal, centred, evenly lit, sharp, noiseless: for galleries. */
export function neutralNuisance(): Nuisance {
  return { roll: 0, yaw: 0, scale: 1, tx: 0, ty: 0, lightAngle: 0, lightStrength: 0, level: 1, blur: 0, noise: 0, noiseX: 0, noiseY: 0, blink: 0, gazeX: 0, gazeY: 0 };
}

const MAX_ROLL = 0.18; // ~10 degrees
const MAX_YAW = 0.22; // ~12.6 degrees

/**
 * Nuisance for a frame at `time` (frames on the subject's timeline) with per-frame randomness from `frameSeed`.
 * Bounds (roll <= 10.3 deg, yaw <= 12.6 deg, scale 0.9-1.1, |translation| <= 0.035) keep the face in the frame.
 */
export function sampleNuisance(identity: Identity, time: number, frameSeed: number): Nuisance {
  const { pose } = identity;
  const ph = pose.phase;
  const w = (period: number, k: number) => Math.sin((2 * Math.PI * time) / period + ph[k]);
  const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  const rng = new Rng(frameSeed);
  const blinking = rng.bernoulli(0.03);
  return {
    roll: clamp(pose.roll + pose.motion * (0.07 * w(310, 0) + 0.03 * w(97, 1)) + rng.normal(0, 0.005), MAX_ROLL),
    yaw: clamp(pose.yaw + pose.motion * (0.1 * w(420, 2) + 0.04 * w(131, 3)) + rng.normal(0, 0.005), MAX_YAW),
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
  };
}

type Pt = [number, number];
type Intensities = Partial<Record<DisfaAu, number>>;

function rgba(c: Rgb, a = 1): string {
  return `rgba(${c[0]},${c[1]},${c[2]},${Math.max(0, Math.min(1, a)).toFixed(3)})`;
}

function shade(c: Rgb, f: number): Rgb {
  return [Math.min(255, Math.round(c[0] * f)), Math.min(255, Math.round(c[1] * f)), Math.min(255, Math.round(c[2] * f))];
}

/** Closed smooth curve through points (Catmull-Rom as cubic Beziers). */
function smoothClosed(ctx: SKRSContext2D, p: Pt[]): void {
  const n = p.length;
  ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 0; i < n; i++) {
    const p0 = p[(i - 1 + n) % n], p1 = p[i], p2 = p[(i + 1) % n], p3 = p[(i + 2) % n];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
  ctx.closePath();
}

/** Open smooth curve through points. */
function smoothOpen(ctx: SKRSContext2D, p: Pt[]): void {
  ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 0; i < p.length - 1; i++) {
    const p0 = p[Math.max(0, i - 1)], p1 = p[i], p2 = p[i + 1], p3 = p[Math.min(p.length - 1, i + 2)];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
}

/** Face units per image pixel: the face (temple to temple) is about half the image wide. */
const UNIT = 0.29;

/**
 * A reusable renderer for one image size: holds the canvases, the sensor-noise texture and a per-subject
 * background cache. Not thread-safe; use one per worker.
 */
export class FaceRenderer {
  readonly size: number;
  private readonly face: Canvas;
  private readonly out: Canvas;
  private readonly noiseTex: Canvas;
  private bgKey = '';
  private bg: Canvas | null = null;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 32 || size > 1024) throw new Error(`FaceRenderer: size must be an integer in [32, 1024], got ${size}`);
    this.size = size;
    this.face = createCanvas(size, size);
    this.out = createCanvas(size, size);
    // fixed grey noise texture (mean 128), twice the image size, sampled at a per-frame offset
    const n = 2 * size;
    this.noiseTex = createCanvas(n, n);
    const nctx = this.noiseTex.getContext('2d');
    const img = nctx.createImageData(n, n);
    const rng = new Rng(deriveSeed(0, 'sensor-noise', size));
    for (let i = 0; i < n * n; i++) {
      const v = Math.max(0, Math.min(255, Math.round(128 + rng.normal(0, 45))));
      img.data[4 * i] = v;
      img.data[4 * i + 1] = Math.max(0, Math.min(255, v + Math.round(rng.normal(0, 20))));
      img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    nctx.putImageData(img, 0, 0);
  }

  private background(id: Identity): Canvas {
    if (this.bg && this.bgKey === `${id.subject}:${id.background.seed}`) return this.bg;
    const S = this.size;
    const c = createCanvas(S, S);
    const ctx = c.getContext('2d');
    const { base, accent, pattern } = id.background;
    const rng = new Rng(id.background.seed);
    const g = ctx.createLinearGradient(0, 0, S * rng.uniform(0.3, 1), S);
    g.addColorStop(0, rgba(shade(base, 1.1)));
    g.addColorStop(1, rgba(shade(base, 0.8)));
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, S, S);
    if (pattern === 'stripes') {
      const w = S * rng.uniform(0.04, 0.12);
      ctx.fillStyle = rgba(accent, 0.45);
      for (let x = -S; x < 2 * S; x += 2 * w) {
        ctx.save();
        ctx.translate(x, 0);
        ctx.rotate(rng.uniform(-0.05, 0.05) + (rng.next() < 0.5 ? 0 : 0.4));
        ctx.fillRect(0, -S, w, 3 * S);
        ctx.restore();
      }
    } else if (pattern === 'blobs') {
      for (let k = 0; k < 14; k++) {
        ctx.fillStyle = rgba(rng.next() < 0.5 ? accent : shade(base, rng.uniform(0.6, 1.3)), rng.uniform(0.2, 0.6));
        ctx.beginPath();
        ctx.ellipse(rng.uniform(0, S), rng.uniform(0, S), S * rng.uniform(0.03, 0.18), S * rng.uniform(0.03, 0.18), rng.uniform(0, 3), 0, 2 * Math.PI);
        ctx.fill();
      }
    } else if (pattern === 'panels') {
      for (let k = 0; k < 6; k++) {
        ctx.fillStyle = rgba(rng.next() < 0.5 ? accent : shade(base, rng.uniform(0.7, 1.2)), rng.uniform(0.4, 0.8));
        ctx.fillRect(rng.uniform(-0.2, 1) * S, rng.uniform(-0.2, 1) * S, rng.uniform(0.1, 0.5) * S, rng.uniform(0.1, 0.6) * S);
      }
    }
    // fine texture: a few hundred faint specks (wall paper, fabric)
    for (let k = 0; k < 300; k++) {
      ctx.fillStyle = rgba(rng.next() < 0.5 ? [255, 255, 255] : [0, 0, 0], rng.uniform(0.03, 0.1));
      const r = S * rng.uniform(0.003, 0.012);
      ctx.fillRect(rng.uniform(0, S), rng.uniform(0, S), r, r);
    }
    this.bg = c;
    this.bgKey = `${id.subject}:${id.background.seed}`;
    return c;
  }

  /** Renders one face; the result stays in the renderer's output canvas (read it with `jpeg`, `png`, `rgba`). */
  render(id: Identity, au: Intensities, nz: Nuisance): this {
    const S = this.size;
    const ctx = this.face.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalCompositeOperation = 'source-over';
    ctx.globalAlpha = 1;
    ctx.filter = 'none';
    ctx.drawImage(this.background(id), 0, 0);
    // head coordinate frame: eye line centre at (0.5 S, 0.42 S), one face unit = UNIT * S * scale
    ctx.translate(S * (0.5 + nz.tx), S * (0.42 + nz.ty));
    ctx.rotate(nz.roll);
    const k = UNIT * S * nz.scale;
    ctx.scale(k, k);
    drawFace(ctx, id, au, nz);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    // lighting: a directional gradient (lit side brighter, far side darker), then the exposure level
    if (nz.lightStrength > 0) {
      const dx = Math.cos(nz.lightAngle) * S * 0.5, dy = Math.sin(nz.lightAngle) * S * 0.5;
      const g = ctx.createLinearGradient(S / 2 + dx, S / 2 + dy, S / 2 - dx, S / 2 - dy);
      g.addColorStop(0, `rgba(255,255,255,${(0.6 * nz.lightStrength).toFixed(3)})`);
      g.addColorStop(0.5, 'rgba(128,128,128,0)');
      g.addColorStop(1, `rgba(0,0,0,${(0.9 * nz.lightStrength).toFixed(3)})`);
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, S, S);
    }
    if (nz.level < 1) {
      ctx.fillStyle = `rgba(0,0,0,${(1 - nz.level).toFixed(3)})`;
      ctx.fillRect(0, 0, S, S);
    } else if (nz.level > 1) {
      ctx.fillStyle = `rgba(255,255,255,${(0.6 * (nz.level - 1)).toFixed(3)})`;
      ctx.fillRect(0, 0, S, S);
    }
    const octx = this.out.getContext('2d');
    octx.setTransform(1, 0, 0, 1, 0, 0);
    octx.globalCompositeOperation = 'source-over';
    octx.globalAlpha = 1;
    const sigma = (nz.blur * S) / 224;
    octx.filter = sigma > 0.2 ? `blur(${sigma.toFixed(2)}px)` : 'none';
    octx.drawImage(this.face, 0, 0);
    octx.filter = 'none';
    if (nz.noise > 0) {
      octx.globalCompositeOperation = 'overlay';
      octx.globalAlpha = nz.noise;
      octx.drawImage(this.noiseTex, -Math.floor(nz.noiseX * S), -Math.floor(nz.noiseY * S));
      octx.globalCompositeOperation = 'source-over';
      octx.globalAlpha = 1;
    }
    return this;
  }

  /** The last rendered image as JPEG bytes. */
  jpeg(quality = 90): Buffer {
    return this.out.encodeSync('jpeg', quality);
  }

  /** The last rendered image as PNG bytes. */
  png(): Buffer {
    return this.out.encodeSync('png');
  }

  /** The last rendered image as RGBA bytes, row-major [size, size, 4]. */
  rgba(): Uint8Array {
    const d = this.out.getContext('2d').getImageData(0, 0, this.size, this.size).data;
    return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
  }

  /** The output canvas (for composing sheets). */
  canvas(): Canvas {
    return this.out;
  }
}

/** Draws the head in face units (origin: centre of the eye line). */
function drawFace(ctx: SKRSContext2D, id: Identity, au: Intensities, nz: Nuisance): void {
  const s = (name: DisfaAu) => Math.max(0, Math.min(5, au[name] ?? 0)) / 5;
  const s1 = s('AU01'), s2 = s('AU02'), s4 = s('AU04'), s5 = s('AU05'), s6 = s('AU06'), s9 = s('AU09');
  const s12 = s('AU12'), s15 = s('AU15'), s17 = s('AU17'), s20 = s('AU20'), s25 = s('AU25'), s26 = s('AU26');
  const cy = Math.cos(nz.yaw), sy = Math.sin(nz.yaw);
  const st = id.face.stretch;
  // yaw: a point at depth z (head surface + dz) moves sideways by z sin(yaw); the outline (z ~ 0) narrows
  const P = (x: number, y: number, dz = 0): Pt => {
    const z = 0.85 * Math.sqrt(Math.max(0, 1 - (x / 1.05) * (x / 1.05))) + dz;
    return [x * cy + z * sy, y * st];
  };
  const skin = id.skin;
  const dark = shade(skin, 0.62);
  const drop = 0.25 * s26; // jaw drop in face units

  // neck and shoulders
  ctx.fillStyle = rgba(shade(skin, 0.8));
  ctx.beginPath();
  ctx.rect(-0.5 + sy * 0.3, 0.6, 1.0, 2.0);
  ctx.fill();
  ctx.fillStyle = rgba(id.clothes);
  ctx.beginPath();
  ctx.ellipse(sy * 0.3, 2.45, 2.0, 0.85, 0, 0, 2 * Math.PI);
  ctx.fill();

  const f = id.face;
  const hair = id.hair;
  // hair behind the head (long, curly, bun)
  if (hair.style === 'long' || hair.style === 'curly' || hair.style === 'bun') {
    ctx.fillStyle = rgba(hair.color);
    ctx.beginPath();
    const v = hair.volume;
    const pts: Pt[] = hair.style === 'long'
      ? [P(0, f.top - v), P(0.8, f.top + 0.1 - v), P(f.temple + 0.2 + v, -0.3), P(f.temple + 0.2 + v, 0.8), P(f.temple - 0.1, 1.5), P(-(f.temple - 0.1), 1.5), P(-(f.temple + 0.2 + v), 0.8), P(-(f.temple + 0.2 + v), -0.3), P(-0.8, f.top + 0.1 - v)]
      : [P(0, f.top - v), P(0.85, f.top + 0.12 - v), P(f.temple + 0.12 + v, -0.4), P(f.temple + 0.05, 0.2), P(-(f.temple + 0.05), 0.2), P(-(f.temple + 0.12 + v), -0.4), P(-0.85, f.top + 0.12 - v)];
    smoothClosed(ctx, pts);
    ctx.fill();
    if (hair.style === 'bun') {
      ctx.beginPath();
      const [bx, by] = P(0, f.top - v - 0.2, 0.1);
      ctx.arc(bx, by, 0.3, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  // ears
  ctx.fillStyle = rgba(shade(skin, 0.9));
  for (const sx of [-1, 1]) {
    const [ex, ey] = P(sx * (f.temple + 0.03), id.ears.y + 0.05);
    ctx.beginPath();
    ctx.ellipse(ex, ey, 0.1 * (0.6 + 0.4 * (1 + sx * sy)), id.ears.size * 0.75, 0, 0, 2 * Math.PI);
    ctx.fill();
  }
  // face outline with the jaw dropped by AU26
  const outlineRight: Pt[] = [
    [0.55 * f.temple, f.top + 0.08], [f.temple, -0.6], [f.temple * 0.99, -0.2], [f.cheek, 0.2],
    [(f.cheek + f.jaw) / 2 + 0.02, 0.5 + drop * 0.3], [f.jaw, f.jawY + drop * 0.7], [(f.jaw + f.chin) / 2 + 0.03, f.chinY - 0.16 + drop],
    [f.chin, f.chinY - 0.05 + drop],
  ];
  const outline: Pt[] = [P(0, f.top), ...outlineRight.map(([x, y]) => P(x, y)), P(0, f.chinY + drop), ...outlineRight.slice().reverse().map(([x, y]) => P(-x, y))];
  const [gx, gy] = P(-0.15, -0.1);
  const faceGrad = ctx.createRadialGradient(gx, gy, 0.1, gx, gy, 1.5);
  faceGrad.addColorStop(0, rgba(shade(skin, 1.06)));
  faceGrad.addColorStop(0.7, rgba(skin));
  faceGrad.addColorStop(1, rgba(shade(skin, 0.8)));
  ctx.fillStyle = faceGrad;
  ctx.beginPath();
  smoothClosed(ctx, outline);
  ctx.fill();

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

  // cheeks: raised by AU6 (and bulging with AU12), with a lower shadow that moves up with them
  for (const sx of [-1, 1]) {
    const cyk = 0.38 - 0.16 * s6 - 0.06 * s12;
    blob(sx * 0.55, cyk, 0.3, mixRgb(skin, [220, 90, 90], 0.5), id.blush * 0.6 + 0.25 * s6 + 0.1 * s12);
    blob(sx * 0.5, cyk - 0.08, 0.16, shade(skin, 1.25), 0.2 + 0.35 * s6 + 0.15 * s12);
    // infraorbital furrow (AU6) and the lower cheek shadow
    line([P(sx * (id.eye.spacing - 0.13), 0.14 - 0.03 * s6), P(sx * id.eye.spacing, 0.19 - 0.05 * s6), P(sx * (id.eye.spacing + 0.17), 0.13 - 0.03 * s6)], dark, 0.08 + 0.55 * s6, 0.025);
    line([P(sx * 0.85, 0.55 - 0.1 * s6), P(sx * 0.62, 0.62 - 0.12 * s6 - 0.04 * s12)], dark, 0.1 + 0.3 * s6, 0.05);
    // hollow cheeks when the jaw drops (AU26)
    blob(sx * 0.65, 0.75 + drop * 0.5, 0.25, dark, 0.35 * s26);
  }

  // forehead: AU1 central horizontal wrinkles, AU2 lateral wrinkles
  const by = id.brow.y;
  for (let r = 0; r < 3; r++) {
    const y = by - 0.22 - 0.11 * r;
    line([P(-0.32, y + 0.02), P(0, y - 0.025), P(0.32, y + 0.02)], dark, 0.7 * s1, 0.024);
    line([P(-0.3, y + 0.035), P(0, y - 0.01), P(0.3, y + 0.035)], shade(skin, 1.2), 0.4 * s1, 0.015);
    for (const sx of [-1, 1]) {
      line([P(sx * 0.28, y + 0.01), P(sx * 0.52, y - 0.03), P(sx * 0.74, y + 0.03)], dark, 0.65 * s2, 0.024);
    }
  }
  // glabella: AU4 vertical furrows and bulge between the brows; AU9 horizontal crease at the nose root
  for (const sx of [-1, 1]) {
    line([P(sx * 0.055, by - 0.1), P(sx * 0.07, by + 0.03), P(sx * 0.05, by + 0.13)], dark, 0.85 * s4, 0.03);
  }
  blob(0, by - 0.02, 0.16, dark, 0.35 * s4, 0.05);

  // eyes
  const e = id.eye;
  for (const sx of [-1, 1]) {
    const cx = sx * e.spacing;
    const ey = -sx * e.tilt * 0.5;
    const hw = e.halfWidth;
    const upOpen = Math.max(0.012, e.open * (1 + 0.85 * s5 - 0.35 * s6 - 0.3 * s4 - 0.2 * s9) * (1 - 0.9 * nz.blink));
    const loOpen = Math.max(0.006, e.lowerOpen * (1 - 0.75 * s6 - 0.3 * s9 + 0.15 * s5) * (1 - 0.5 * nz.blink));
    const inner = P(cx - sx * hw, ey + 0.01, 0.02);
    const outer = P(cx + sx * hw, ey - sx * e.tilt * 0.6 - 0.01, -0.05);
    const upC = P(cx, ey - 2 * upOpen, 0.05);
    const loC = P(cx, ey + 2 * loOpen, 0.05);
    // socket shadow above the eye
    blob(cx, ey - 0.08, 0.22, dark, 0.22, 0.03);
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(upC[0], upC[1], outer[0], outer[1]);
    ctx.quadraticCurveTo(loC[0], loC[1], inner[0], inner[1]);
    ctx.closePath();
    ctx.fillStyle = 'rgb(236,232,228)';
    ctx.fill();
    ctx.clip();
    const [ix, iy] = P(cx + nz.gazeX * 0.04, ey + 0.004 + nz.gazeY * 0.015, 0.07);
    ctx.fillStyle = rgba(e.iris);
    ctx.beginPath();
    ctx.arc(ix, iy, e.irisR, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgb(15,12,12)';
    ctx.beginPath();
    ctx.arc(ix, iy, e.irisR * 0.45, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.8)';
    ctx.beginPath();
    ctx.arc(ix + 0.015, iy - 0.015, e.irisR * 0.2, 0, 2 * Math.PI);
    ctx.fill();
    // upper-lid shadow on the eyeball
    ctx.fillStyle = 'rgba(0,0,0,0.18)';
    ctx.fillRect(cx - 0.3, ey - 0.3, 0.6, 0.3 - upOpen * 0.6);
    ctx.restore();
    // lids: the upper lid line is dark and thick, the lower thin; the lid crease above
    ctx.strokeStyle = 'rgba(25,18,15,0.9)';
    ctx.lineWidth = 0.024;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(upC[0], upC[1], outer[0], outer[1]);
    ctx.stroke();
    ctx.strokeStyle = rgba(shade(skin, 0.55), 0.8);
    ctx.lineWidth = 0.012;
    ctx.beginPath();
    ctx.moveTo(inner[0], inner[1]);
    ctx.quadraticCurveTo(loC[0], loC[1], outer[0], outer[1]);
    ctx.stroke();
    const crease = 0.05 + 0.03 * s5 - 0.025 * s4;
    line([P(cx - sx * hw * 0.8, ey - upOpen * 0.8 - crease * 0.6), P(cx, ey - 1.1 * upOpen - crease), P(cx + sx * hw * 0.95, ey - upOpen * 0.6 - crease * 0.5)], dark, 0.45 - 0.3 * s5, 0.014);
    // crow's feet (AU6)
    for (const a of [-0.45, 0, 0.45]) {
      const ox = cx + sx * (hw + 0.04), oy = ey + 0.01;
      line([P(ox, oy + a * 0.05), P(ox + sx * 0.08, oy + a * 0.14), P(ox + sx * 0.15, oy + a * 0.26)], dark, 0.85 * s6, 0.018);
    }
  }

  // brows (AU1 inner up, AU2 outer up, AU4 down and together, AU9 inner down)
  const b = id.brow;
  for (const sx of [-1, 1]) {
    const innerY = by + b.slant - 0.22 * s1 + 0.15 * s4 + 0.06 * s9;
    const innerX = b.inner - 0.09 * s4 - 0.02 * s9;
    const midY = by - b.arch - 0.09 * s1 - 0.17 * s2 + 0.1 * s4 + 0.03 * s9;
    const outerY = by + 0.04 - b.slant - 0.02 * s1 - 0.17 * s2 + 0.06 * s4;
    const x0 = innerX, x1 = b.inner + b.length * 0.55, x2 = b.inner + b.length;
    const t = b.thickness * (1 + 0.15 * s4);
    const top: Pt[] = [P(sx * x0, innerY - t * 0.55), P(sx * x1, midY - t * 0.5), P(sx * x2, outerY - t * 0.1)];
    const bottom: Pt[] = [P(sx * x2, outerY + t * 0.15), P(sx * x1, midY + t * 0.5), P(sx * x0, innerY + t * 0.55)];
    ctx.fillStyle = rgba(b.color, 0.92);
    ctx.beginPath();
    smoothOpen(ctx, top);
    const [bx2, by2] = bottom[0];
    ctx.lineTo(bx2, by2);
    smoothOpenContinue(ctx, bottom);
    ctx.closePath();
    ctx.fill();
  }

  // nose: bridge shading, AU9 wrinkles, nostril wings raised by AU9
  const n = id.nose;
  const wingLift = 0.05 * s9;
  for (const sx of [-1, 1]) {
    line([P(sx * 0.1, 0.02, 0.1), P(sx * 0.11, 0.2, 0.2), P(sx * (n.width * 0.9), n.tipY - 0.05 - wingLift, 0.15)], dark, 0.25, 0.03);
  }
  for (let r = 0; r < 3; r++) {
    const y = -0.02 + 0.065 * r;
    line([P(-0.11, y + 0.012, 0.12), P(0, y - 0.01, 0.15), P(0.11, y + 0.012, 0.12)], dark, 0.9 * s9, 0.022);
  }
  for (const sx of [-1, 1]) {
    line([P(sx * 0.12, 0.06, 0.12), P(sx * 0.2, 0.14, 0.08)], dark, 0.6 * s9, 0.02);
  }
  blob(0, n.tipY - 0.06, 0.1, shade(skin, 1.25), 0.5, 0.35);
  for (const sx of [-1, 1]) {
    // alar wing and nostril
    const wx = sx * n.width * (1 + 0.25 * s9), wy = n.tipY - wingLift;
    line([P(sx * n.width * 0.5, wy + 0.06, 0.25), P(wx, wy + 0.02, 0.15), P(wx * 0.95, wy - 0.06, 0.12)], shade(skin, 0.5), 0.7, 0.022);
    const [nx, ny] = P(sx * n.width * 0.5, wy + 0.045 - 0.01 * s9, 0.25);
    ctx.fillStyle = 'rgba(40,20,18,0.75)';
    ctx.beginPath();
    ctx.ellipse(nx, ny, 0.045 * (1 + 0.3 * s9), 0.02 * (1 + 0.4 * s9), sx * 0.3, 0, 2 * Math.PI);
    ctx.fill();
  }

  // mouth geometry
  const m = id.mouth;
  const my = m.y;
  const cornerDx = m.halfWidth * (1 + 0.22 * s12 + 0.45 * s20 - 0.08 * s17 - 0.04 * s15 - 0.08 * s26);
  const cornerY = my - 0.17 * s12 + 0.16 * s15 + 0.03 * s20 + drop * 0.35;
  const upperLift = 0.05 * s9;
  const opening = (au.AU25 ?? 0) > 0 ? 0.03 + 0.13 * s25 + drop * 0.95 : 0;
  const lineY = my - upperLift * 0.5 - 0.03 * s17; // where the lips meet (upper lip bottom)
  const upperT = m.upper * (1 - 0.45 * s20 - 0.25 * s12);
  const lowerT = m.lower * (1 - 0.45 * s20 - 0.2 * s12 + 0.15 * s17);
  const lowerTop = lineY + opening + (opening === 0 ? drop * 0.2 : 0);
  const lowerBottom = lowerTop + lowerT - 0.035 * s17 + (opening === 0 ? 0 : 0);
  const bulge = -0.06 * s17; // AU17 pushes the lower lip up in the middle: the mouth curves down
  // nasolabial folds (AU12, AU9, a little with AU6)
  for (const sx of [-1, 1]) {
    line([P(sx * (n.width + 0.05), n.tipY - 0.03 - wingLift), P(sx * (n.width + 0.16 + 0.05 * s12), my - 0.18 - 0.03 * s12), P(sx * (cornerDx + 0.07), cornerY + 0.07)], dark, 0.12 + 0.7 * s12 + 0.45 * s9 + 0.15 * s6, 0.028);
    // corner dimple / AU15 bulge below the corner / AU20 stretch lines
    blob(sx * (cornerDx + 0.02), cornerY, 0.05, dark, 0.2 + 0.3 * s12 + 0.2 * s20);
    blob(sx * (cornerDx - 0.02), cornerY + 0.12, 0.1, dark, 0.55 * s15);
    line([P(sx * (cornerDx + 0.04), cornerY + 0.04), P(sx * (cornerDx + 0.04), cornerY + 0.16)], dark, 0.45 * s15, 0.018);
    line([P(sx * (cornerDx + 0.05), cornerY - 0.02), P(sx * (cornerDx + 0.16), cornerY + 0.01)], dark, 0.55 * s20, 0.018);
  }
  // chin: AU17 boss pushed up with dimpling and a deep mentolabial crease
  const chinY = f.chinY + drop;
  blob(0, chinY - 0.18 - 0.07 * s17, 0.22, shade(skin, 1.15), 0.3 + 0.2 * s17);
  line([P(-0.15, lowerBottom + 0.09 - 0.02 * s17), P(0, lowerBottom + 0.06 - 0.04 * s17), P(0.15, lowerBottom + 0.09 - 0.02 * s17)], dark, 0.15 + 0.7 * s17, 0.03);
  if (s17 > 0) {
    const rng = new Rng(0x17);
    for (let d = 0; d < 14; d++) {
      blob(rng.uniform(-0.16, 0.16), chinY - 0.15 + rng.uniform(-0.06, 0.06) - 0.05 * s17, 0.03, dark, 0.55 * s17);
    }
  }

  const L = P(-cornerDx, cornerY), R = P(cornerDx, cornerY);
  // mouth interior and teeth (AU25, larger with AU26)
  if (opening > 0) {
    ctx.save();
    ctx.beginPath();
    ctx.moveTo(L[0], L[1]);
    const uc = P(0, 2 * lineY - (L[1] + R[1]) / 2 - 0.005, 0.1);
    ctx.quadraticCurveTo(uc[0], uc[1], R[0], R[1]);
    const lc = P(0, 2 * (lowerTop + bulge) - cornerY + 0.01, 0.1);
    ctx.quadraticCurveTo(lc[0], lc[1], L[0], L[1]);
    ctx.closePath();
    ctx.fillStyle = 'rgb(62,22,26)';
    ctx.fill();
    ctx.clip();
    const [tx0, ty0] = P(0, lineY, 0.1);
    ctx.fillStyle = 'rgb(238,234,222)';
    ctx.fillRect(tx0 - cornerDx * 0.75, ty0 - 0.1, cornerDx * 1.5, 0.1 + Math.min(0.05, opening * 0.45));
    if (opening > 0.12) {
      const [lx0, ly0] = P(0, lowerTop, 0.1);
      ctx.fillStyle = 'rgb(220,215,205)';
      ctx.fillRect(lx0 - cornerDx * 0.6, ly0 - 0.035, cornerDx * 1.2, 0.2);
    }
    ctx.fillStyle = 'rgba(0,0,0,0.25)';
    ctx.fillRect(tx0 - 0.2, ty0 + 0.04, 0.4, 0.003);
    ctx.restore();
  }
  // upper lip: top edge with the cupid's bow, bottom edge at the line where the lips meet
  const lipTop = lineY - upperT - upperLift * 0.5;
  ctx.fillStyle = rgba(shade(m.color, 0.92));
  ctx.beginPath();
  ctx.moveTo(L[0], L[1]);
  const ul = P(-0.08, lipTop - m.bow, 0.1), um = P(0, lipTop + m.bow * 0.5, 0.12), ur = P(0.08, lipTop - m.bow, 0.1);
  const ulc = P(-cornerDx * 0.6, lipTop + 0.01 - (cornerY - my) * 0.3, 0.08);
  ctx.quadraticCurveTo(ulc[0], ulc[1], ul[0], ul[1]);
  ctx.lineTo(um[0], um[1]);
  ctx.lineTo(ur[0], ur[1]);
  const urc = P(cornerDx * 0.6, lipTop + 0.01 - (cornerY - my) * 0.3, 0.08);
  ctx.quadraticCurveTo(urc[0], urc[1], R[0], R[1]);
  const ub = P(0, 2 * lineY - cornerY + 0.004, 0.1);
  ctx.quadraticCurveTo(ub[0], ub[1], L[0], L[1]);
  ctx.closePath();
  ctx.fill();
  // lower lip
  const lipCol = m.color;
  const lt = P(0, 2 * (lowerTop + bulge) - cornerY, 0.1);
  const lb = P(0, 2 * (lowerBottom + bulge) - cornerY + 0.02, 0.1);
  const lowGrad = ctx.createLinearGradient(0, lt[1] * 0.5 + lb[1] * 0.5 - 0.05, 0, lb[1] * 0.5 + lt[1] * 0.5 + 0.05);
  lowGrad.addColorStop(0, rgba(shade(lipCol, 1.08)));
  lowGrad.addColorStop(1, rgba(shade(lipCol, 0.85)));
  ctx.fillStyle = lowGrad;
  ctx.beginPath();
  ctx.moveTo(L[0], L[1]);
  ctx.quadraticCurveTo(lt[0], lt[1], R[0], R[1]);
  ctx.quadraticCurveTo(lb[0], lb[1], L[0], L[1]);
  ctx.closePath();
  ctx.fill();
  // the line between closed lips
  if (opening === 0) {
    ctx.strokeStyle = rgba(shade(lipCol, 0.45), 0.9);
    ctx.lineWidth = 0.018;
    ctx.beginPath();
    ctx.moveTo(L[0], L[1]);
    const mc = P(0, 2 * lineY - cornerY + 0.004 + bulge, 0.1);
    ctx.quadraticCurveTo(mc[0], mc[1], R[0], R[1]);
    ctx.stroke();
  }

  // hair in front: the cap above the hairline
  ctx.fillStyle = rgba(hair.color);
  ctx.beginPath();
  const v = hair.volume;
  const hl = hair.hairline;
  const cap: Pt[] = hair.style === 'receding'
    ? [P(-(f.temple + 0.04), -0.35), P(-(f.temple + 0.02 + v * 0.3), -0.8), P(-0.6, f.top - v * 0.4), P(0, f.top - v * 0.5), P(0.6, f.top - v * 0.4), P(f.temple + 0.02 + v * 0.3, -0.8), P(f.temple + 0.04, -0.35),
      P(f.temple - 0.1, -0.5), P(0.55, hl + 0.02), P(0, hl + 0.05), P(-0.55, hl + 0.02), P(-(f.temple - 0.1), -0.5)]
    : [P(-(f.temple + 0.06), -0.3), P(-(f.temple + 0.06 + v * 0.6), -0.8), P(-0.65, f.top - v * 0.8), P(0, f.top - v), P(0.65, f.top - v * 0.8), P(f.temple + 0.06 + v * 0.6, -0.8), P(f.temple + 0.06, -0.3),
      P(f.temple - 0.08, -0.45), P(0.6, hl + 0.1), P(0.25, hl + 0.02), P(0, hl + 0.03), P(-0.3, hl - 0.01), P(-0.65, hl + 0.12), P(-(f.temple - 0.08), -0.45)];
  smoothClosed(ctx, cap);
  ctx.fill();
  if (hair.style === 'curly') {
    for (let i = 0; i < 11; i++) {
      const a = Math.PI * (0.05 + (0.9 * i) / 10);
      const [hx, hy] = P(-Math.cos(a) * (f.temple + 0.05), f.top * 0.85 * Math.sin(a) - v * 0.6);
      ctx.beginPath();
      ctx.arc(hx, hy, 0.17, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

function smoothOpenContinue(ctx: SKRSContext2D, p: Pt[]): void {
  for (let i = 0; i < p.length - 1; i++) {
    const p0 = p[Math.max(0, i - 1)], p1 = p[i], p2 = p[i + 1], p3 = p[Math.min(p.length - 1, i + 2)];
    ctx.bezierCurveTo(p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6, p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6, p2[0], p2[1]);
  }
}

function mixRgb(a: Rgb, c: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i] + (c[i] - a[i]) * t)) as Rgb;
}

/** Options of `renderSyntheticFace`. */
export interface RenderFaceOptions {
  size?: number;
  /** Dataset seed (identities of subject ids depend on it); default 0. */
  seed?: number;
  /** Imaging conditions: a Nuisance, `true` for random ones from the seed, or neutral (default). */
  nuisance?: Nuisance | boolean;
  format?: 'png' | 'jpeg' | 'rgba';
  quality?: number;
}

/**
 * One synthetic face at given AU intensities, for notebooks: `who` is an Identity or a DISFA subject id
 * ('SN001'; its identity under `opts.seed`). Returns PNG bytes (default), JPEG bytes or RGBA [size, size, 4].
 */
export function renderSyntheticFace(who: Identity | string, intensities: Intensities, opts: RenderFaceOptions = {}): Uint8Array {
  const size = opts.size ?? 224;
  const seed = opts.seed ?? 0;
  const id = typeof who === 'string' ? sampleIdentity(seed, who) : who;
  const nz = opts.nuisance === true
    ? sampleNuisance(id, 0, deriveSeed(seed, 'render', id.subject))
    : opts.nuisance && typeof opts.nuisance === 'object' ? opts.nuisance : neutralNuisance();
  const r = new FaceRenderer(size).render(id, intensities, nz);
  const format = opts.format ?? 'png';
  return format === 'png' ? r.png() : format === 'jpeg' ? r.jpeg(opts.quality ?? 90) : r.rgba();
}
