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
 * The face is drawn region by region (face.ts, regions/); imaging conditions are sampled in nuisance.ts.
 *
 * Nuisance: head roll and small yaw (features shift over a curved head), scale, translation, lighting direction
 * and level, blur, sensor noise, blinks and gaze; the room behind the subject is a per-subject texture. Pose and
 * light drift smoothly with the frame's time on the subject's timeline; blur, noise and blinks vary per frame.
 * All bounds keep the face inside the image (see `sampleNuisance`).
 */
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { deriveSeed, Rng } from '../../util/rng';
import { applyAffine, DEFAULT_ALIGN, eyeAlignTransform, type Affine, type Point } from '../align/geometry';
import { drawFace } from './face';
import { projector, type Intensities } from './face_context';
import { sampleIdentity, type Identity } from './identity';
import { neutralNuisance, sampleNuisance, type Nuisance } from './nuisance';
import { rgba, shade } from './paint';

export { neutralNuisance, sampleNuisance, type Nuisance } from './nuisance';

/** Face units per image pixel: the face (temple to temple) is about half the image wide. */
const UNIT = 0.29;

/**
 * How a rendered face is framed at `size`: `scene` maps face units (after the yaw projection) into the camera's
 * full frame (eye line centre at (0.5 + tx, 0.42 + ty) * size, roll, one face unit = UNIT * size * scale);
 * `crop` maps the full frame into the written image, lib/data/align's eye similarity (DEFAULT_ALIGN: eyes
 * level, inter-ocular distance 0.35 of the side, eye line at 0.4) from the eye centres a landmark detector would
 * report (the drawn eye centres plus nuisance.eyeError). A face-unit point lands at crop(scene(P(x, y))).
 */
export function framing(id: Identity, nz: Nuisance, size: number): { scene: Affine; crop: Affine } {
  const k = UNIT * size * nz.scale;
  const scene: Affine = [k * Math.cos(nz.roll), k * Math.sin(nz.roll), -k * Math.sin(nz.roll), k * Math.cos(nz.roll), size * (0.5 + nz.tx), size * (0.42 + nz.ty)];
  const P = projector(id, nz);
  const eyes = [-1, 1].map((sx) => applyAffine(scene, P(sx * id.eye.spacing, -sx * id.eye.tilt * 0.5, 0.05)));
  const iod = Math.hypot(eyes[1][0] - eyes[0][0], eyes[1][1] - eyes[0][1]);
  const e = nz.eyeError;
  const seen: [Point, Point] = [[eyes[0][0] + e[0] * iod, eyes[0][1] + e[1] * iod], [eyes[1][0] + e[2] * iod, eyes[1][1] + e[3] * iod]];
  return { scene, crop: eyeAlignTransform(seen[0], seen[1], { ...DEFAULT_ALIGN, size }) };
}

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
  private skinKey = '';
  private skin: Canvas | null = null;

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

  /** The subject's skin texture: smooth blotches (mottle) plus pores (grain), grey around 128, for an overlay. */
  private skinTexture(id: Identity): Canvas {
    const t = id.appearance.texture;
    if (this.skin && this.skinKey === `${id.subject}:${t.seed}`) return this.skin;
    const n = 128, m = 12;
    const rng = new Rng(t.seed);
    const coarse = createCanvas(m, m);
    const cctx = coarse.getContext('2d');
    const ci = cctx.createImageData(m, m);
    for (let i = 0; i < m * m; i++) {
      const v = Math.round(128 + rng.normal(0, 40 * t.mottle));
      ci.data.set([v, Math.round(128 + (v - 128) * 0.8), Math.round(128 + (v - 128) * 0.7), 255], 4 * i);
    }
    cctx.putImageData(ci, 0, 0);
    const c = createCanvas(n, n);
    const ctx = c.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(coarse, 0, 0, n, n);
    const fine = ctx.getImageData(0, 0, n, n);
    for (let i = 0; i < n * n; i++) {
      const d = rng.normal(0, 14 * t.grain);
      for (let ch = 0; ch < 3; ch++) fine.data[4 * i + ch] = Math.max(0, Math.min(255, Math.round(fine.data[4 * i + ch] + d)));
    }
    ctx.putImageData(fine, 0, 0);
    this.skin = c;
    this.skinKey = `${id.subject}:${t.seed}`;
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
    // the camera's full frame, cropped as real photos are (see `framing`)
    const { scene, crop } = framing(id, nz, S);
    ctx.fillStyle = rgba(id.background.base);
    ctx.fillRect(0, 0, S, S);
    ctx.setTransform(crop[0], crop[1], crop[2], crop[3], crop[4], crop[5]);
    const bgSigma = (id.appearance.backgroundBlur * S) / 224;
    ctx.filter = bgSigma > 0.2 ? `blur(${bgSigma.toFixed(2)}px)` : 'none';
    ctx.drawImage(this.background(id), -S * 0.25, -S * 0.25, S * 1.5, S * 1.5);
    ctx.filter = 'none';
    ctx.transform(scene[0], scene[1], scene[2], scene[3], scene[4], scene[5]);
    drawFace(ctx, id, au, nz, this.skinTexture(id));
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
    // white balance (version 2): per-channel gains, normalised so the largest is 1
    const gmax = Math.max(...nz.tint);
    if (gmax > 0 && nz.tint.some((g) => g !== gmax)) {
      ctx.globalCompositeOperation = 'multiply';
      ctx.fillStyle = `rgb(${nz.tint.map((g) => Math.round((255 * g) / gmax)).join(',')})`;
      ctx.fillRect(0, 0, S, S);
      ctx.globalCompositeOperation = 'source-over';
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
