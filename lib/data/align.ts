/**
 * Face alignment for real frames: detect the face and its 68 landmarks with the detectors shipped in
 * @vladmandic/face-api (SSD-MobileNetV1 and/or TinyFaceDetector + faceLandmark68Net, weights read from
 * node_modules/@vladmandic/face-api/model with tf.io.decodeWeights: no network), then warp by a similarity
 * transform that puts the eyes level, at a fixed inter-ocular distance, into a square crop (the JAA-Net recipe
 * uses a similarity transform from landmarks too). Crops are cached on disk keyed by source file, frame and
 * settings; frames with no face are counted and reported, never silently dropped.
 * Synthetic frames are already aligned (fer-au-synthetic.json: aligned: true) and skip all of this.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, type Image } from '@napi-rs/canvas';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs';
import { contentKey, defaultCacheDir } from './cache';
import { decodeImage, encodeRgb, rgbaToRgb, warpToRgb } from './image';
import type { DatasetIndex, FrameRecord } from './types';

export type Point = [number, number];
/** 2D affine map in canvas setTransform order: (x, y) -> (a x + c y + e, b x + d y + f). */
export type Affine = [number, number, number, number, number, number];

/** Applies `m` to `p`. */
export function applyAffine(m: Affine, p: Point): Point {
  return [m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5]];
}

/** The inverse of a non-singular affine map. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new Error('invertAffine: singular map');
  return [d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det];
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; no reflection) taking `src` to `dst`
 * (Umeyama 1991 in 2D): with centred points, s cos t = sum(xs xd + ys yd) / sum|s|^2 and
 * s sin t = sum(xs yd - ys xd) / sum|s|^2. Exact for two distinct points.
 */
export function fitSimilarity(src: Point[], dst: Point[]): Affine {
  if (src.length !== dst.length || src.length < 2) throw new Error(`fitSimilarity: need >= 2 matching points, got ${src.length} and ${dst.length}`);
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0]; sy += src[i][1]; dx += dst[i][0]; dy += dst[i][1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const xs = src[i][0] - sx, ys = src[i][1] - sy, xd = dst[i][0] - dx, yd = dst[i][1] - dy;
    num1 += xs * xd + ys * yd;
    num2 += xs * yd - ys * xd;
    den += xs * xs + ys * ys;
  }
  if (den < 1e-12) throw new Error('fitSimilarity: source points coincide');
  const a = num1 / den; // s cos t
  const b = num2 / den; // s sin t
  // x' = a x - b y + e, y' = b x + a y + f
  return [a, b, -b, a, dx - a * sx + b * sy, dy - b * sx - a * sy];
}

export interface AlignSettings {
  /** Side of the square crop in pixels (default 256). */
  size: number;
  /** Distance between the eye centres as a fraction of the side (default 0.35). */
  eyeDistance: number;
  /** Height of the eye line as a fraction of the side (default 0.4). */
  eyeY: number;
}

export const DEFAULT_ALIGN: AlignSettings = Object.freeze({ size: 256, eyeDistance: 0.35, eyeY: 0.4 });

/**
 * The similarity that maps the eye centres (`leftEye` = the one with smaller x in the image, the subject's
 * right eye) to ((1 - eyeDistance)/2 * size, eyeY * size) and ((1 + eyeDistance)/2 * size, eyeY * size):
 * eyes level, fixed inter-ocular distance, face centred.
 */
export function eyeAlignTransform(leftEye: Point, rightEye: Point, settings: Partial<AlignSettings> = {}): Affine {
  const s = { ...DEFAULT_ALIGN, ...settings };
  const y = s.eyeY * s.size;
  return fitSimilarity([leftEye, rightEye], [[((1 - s.eyeDistance) / 2) * s.size, y], [((1 + s.eyeDistance) / 2) * s.size, y]]);
}

/** Mean of the 68-point landmarks 36-41 and 42-47 (iBUG numbering, 0-based): the two eye centres, image-left first. */
export function eyeCentres(landmarks68: Point[]): [Point, Point] {
  if (landmarks68.length !== 68) throw new Error(`eyeCentres: expected 68 landmarks, got ${landmarks68.length}`);
  const mean = (from: number): Point => {
    let x = 0, y = 0;
    for (let i = from; i < from + 6; i++) {
      x += landmarks68[i][0];
      y += landmarks68[i][1];
    }
    return [x / 6, y / 6];
  };
  const a = mean(36), b = mean(42);
  return a[0] <= b[0] ? [a, b] : [b, a];
}

/** One detected face. */
export interface FaceDetection {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Point[];
  eyes: [Point, Point];
}

export interface DetectorOptions {
  /** 'ssd' (SSD-MobileNetV1), 'tiny' (TinyFaceDetector) or 'auto' (default: SSD, then Tiny when SSD finds none). */
  detector?: 'ssd' | 'tiny' | 'auto';
  /** Minimum detection score (default 0.5). */
  minConfidence?: number;
  /** TinyFaceDetector input size, a multiple of 32 (default 416). */
  tinyInputSize?: number;
  /** Folder with the face-api weight manifests (default the package's model/ folder). */
  modelDir?: string;
}

/** node_modules/@vladmandic/face-api/model. */
export function faceApiModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** Reads a tfjs weights manifest and its .bin shards from disk into named tensors. */
export function loadWeightMapFromDisk(dir: string, name: string): tf.NamedTensorMap {
  const manifestFile = path.join(dir, `${name}-weights_manifest.json`);
  let manifest: tf.io.WeightsManifestConfig;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as tf.io.WeightsManifestConfig;
  } catch (err) {
    throw new Error(`${manifestFile}: cannot read weights manifest (${(err as Error).message})`);
  }
  const specs = manifest.flatMap((g) => g.weights);
  const buf = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  return tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type FaceApi = any;
let faceapiModule: FaceApi | undefined;
function faceapi(): FaceApi {
  // The node-wasm build requires @tensorflow/tfjs itself, so it shares our tfjs instance and backend.
  if (!faceapiModule) faceapiModule = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  return faceapiModule;
}

/** A face + 68-landmark detector over the face-api networks. */
export class FaceDetector {
  readonly options: Required<Omit<DetectorOptions, 'modelDir'>>;

  private constructor(options: Required<Omit<DetectorOptions, 'modelDir'>>) {
    this.options = options;
  }

  /** Loads the detector and landmark weights from disk (once per process). */
  static async load(opts: DetectorOptions = {}): Promise<FaceDetector> {
    const api = faceapi();
    const dir = opts.modelDir ?? faceApiModelDir();
    const detector = opts.detector ?? 'auto';
    if (detector !== 'tiny' && !api.nets.ssdMobilenetv1.isLoaded) api.nets.ssdMobilenetv1.loadFromWeightMap(loadWeightMapFromDisk(dir, 'ssd_mobilenetv1_model'));
    if (detector !== 'ssd' && !api.nets.tinyFaceDetector.isLoaded) api.nets.tinyFaceDetector.loadFromWeightMap(loadWeightMapFromDisk(dir, 'tiny_face_detector_model'));
    if (!api.nets.faceLandmark68Net.isLoaded) api.nets.faceLandmark68Net.loadFromWeightMap(loadWeightMapFromDisk(dir, 'face_landmark_68_model'));
    return new FaceDetector({ detector, minConfidence: opts.minConfidence ?? 0.5, tinyInputSize: opts.tinyInputSize ?? 416 });
  }

  /** The most confident face in an RGB image [h, w, 3] (0..255), or null when there is none. */
  async detect(rgb: tf.Tensor3D): Promise<FaceDetection | null> {
    const api = faceapi();
    const o = this.options;
    const ssd = new api.SsdMobilenetv1Options({ minConfidence: o.minConfidence, maxResults: 10 });
    const tiny = new api.TinyFaceDetectorOptions({ inputSize: o.tinyInputSize, scoreThreshold: o.minConfidence });
    let faces: any[] = await api.detectAllFaces(rgb, o.detector === 'tiny' ? tiny : ssd).withFaceLandmarks();
    if (!faces.length && o.detector === 'auto') faces = await api.detectAllFaces(rgb, tiny).withFaceLandmarks();
    if (!faces.length) return null;
    const best = faces.reduce((p, c) => (c.detection.score > p.detection.score ? c : p));
    const landmarks: Point[] = best.landmarks.positions.map((p: { x: number; y: number }) => [p.x, p.y] as Point);
    const b = best.detection.box;
    return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: best.detection.score, landmarks, eyes: eyeCentres(landmarks) };
  }

  /** Detects on a decoded image. */
  async detectImage(img: Image): Promise<FaceDetection | null> {
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const rgb = rgbaToRgb(ctx.getImageData(0, 0, img.width, img.height).data);
    const t = tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
    try {
      return await this.detect(t);
    } finally {
      t.dispose();
    }
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface AlignReport {
  total: number;
  aligned: number;
  /** Frames whose eyes came from the detector. */
  detected: number;
  /** Frames whose eyes were interpolated between detections (detectEvery > 1). */
  interpolated: number;
  /** Frames answered from the cache (no decoding, no detection). */
  cached: number;
  /** Frames where no face was found: listed, and left out of `frames`. */
  noFace: { subject: string; frame: number; image: string }[];
  settings: AlignSettings & { detector: string; minConfidence: number; detectEvery: number };
}

export interface AlignOptions extends Partial<AlignSettings>, DetectorOptions {
  cacheDir?: string;
  /**
   * Run the detector on every k-th frame of a subject (and its last) and interpolate the eye centres of the
   * frames between two successful detections (DISFA is continuous 20 fps video: the head moves little in a
   * few frames). A frame next to a failed detection is detected itself. Default 1 (detect every frame).
   */
  detectEvery?: number;
  detectorInstance?: FaceDetector;
  onProgress?: (done: number, total: number) => void;
}

interface AlignMeta {
  eyes: [Point, Point] | null;
  score?: number;
  interpolated?: boolean;
}

/**
 * Aligns every frame: returns records whose `image` is the cached aligned crop, plus a report. Crops live in
 * `<cacheDir>/aligned/<key[0:2]>/<key>.jpg` (JPEG quality 95) with key = hash(source path, size, mtime, frame, settings) and a
 * `<key>.json` beside each with the eye centres used (null: no face), so a frame is never searched twice.
 * Frames without a face are listed in report.noFace and left out. An already-aligned index (synthetic) is
 * returned as is.
 */
export async function alignFrames(
  index: Pick<DatasetIndex, 'frames' | 'aligned'>,
  opts: AlignOptions = {},
): Promise<{ frames: FrameRecord[]; report: AlignReport }> {
  const settings: AlignSettings = { size: opts.size ?? DEFAULT_ALIGN.size, eyeDistance: opts.eyeDistance ?? DEFAULT_ALIGN.eyeDistance, eyeY: opts.eyeY ?? DEFAULT_ALIGN.eyeY };
  const detectEvery = opts.detectEvery ?? 1;
  if (!Number.isInteger(detectEvery) || detectEvery < 1) throw new Error(`alignFrames: detectEvery must be a positive integer, got ${detectEvery}`);
  const det = { detector: opts.detector ?? 'auto', minConfidence: opts.minConfidence ?? 0.5, detectEvery };
  const report: AlignReport = { total: index.frames.length, aligned: 0, detected: 0, interpolated: 0, cached: 0, noFace: [], settings: { ...settings, ...det } };
  if (index.aligned) {
    report.aligned = index.frames.length;
    return { frames: index.frames, report };
  }
  const root = path.join(opts.cacheDir ?? defaultCacheDir(), 'aligned');
  let detector = opts.detectorInstance;
  const n = index.frames.length;
  const paths = index.frames.map((f) => {
    const st = fs.statSync(f.image);
    const key = contentKey(path.resolve(f.image), st.size, st.mtimeMs, f.frame, settings, det).slice(0, 32);
    const dir = path.join(root, key.slice(0, 2));
    return { crop: path.join(dir, `${key}.jpg`), meta: path.join(dir, `${key}.json`) };
  });
  const metas: (AlignMeta | undefined)[] = new Array(n);
  let done = 0;
  const progress = () => opts.onProgress?.(++done, n);

  const writeCrop = async (i: number, eyes: [Point, Point], img?: Image) => {
    const image = img ?? (await decodeImage(index.frames[i].image));
    const m = eyeAlignTransform(eyes[0], eyes[1], settings);
    writeFileAtomic(paths[i].crop, encodeRgb(warpToRgb(image, settings.size, m), settings.size, settings.size, 'jpeg', 95));
  };
  /** Eyes of frame i: from the cache, else from the detector (writing crop and meta). */
  const detectFrame = async (i: number): Promise<AlignMeta> => {
    if (metas[i]) return metas[i]!;
    if (fs.existsSync(paths[i].meta) && (fs.existsSync(paths[i].crop) || readMeta(paths[i].meta).eyes === null)) {
      report.cached++;
      progress();
      return (metas[i] = readMeta(paths[i].meta));
    }
    detector ??= await FaceDetector.load(opts);
    const img = await decodeImage(index.frames[i].image);
    const face = await detector.detectImage(img);
    const meta: AlignMeta = face ? { eyes: face.eyes, score: face.score } : { eyes: null };
    if (face) await writeCrop(i, face.eyes, img);
    writeJsonAtomic(paths[i].meta, meta);
    report.detected++;
    progress();
    return (metas[i] = meta);
  };

  // Frames of one sequence (same subject, same folder) in frame order; detect on the grid, interpolate between.
  const bySubject = new Map<string, number[]>();
  index.frames.forEach((f, i) => {
    const seq = `${f.subject}\u0000${path.dirname(f.image)}`;
    const list = bySubject.get(seq) ?? [];
    list.push(i);
    bySubject.set(seq, list);
  });
  for (const list of bySubject.values()) {
    list.sort((a, b) => index.frames[a].frame - index.frames[b].frame);
    const isKey = (j: number) => j % detectEvery === 0 || j === list.length - 1;
    for (let j = 0; j < list.length; j++) if (isKey(j)) await detectFrame(list[j]);
    for (let j = 0; j < list.length; j++) {
      if (isKey(j)) continue;
      const i = list[j];
      if (fs.existsSync(paths[i].meta)) {
        await detectFrame(i); // cached
        continue;
      }
      const a = list[j - (j % detectEvery)];
      const b = list[Math.min(list.length - 1, j - (j % detectEvery) + detectEvery)];
      const ea = metas[a]?.eyes;
      const eb = metas[b]?.eyes;
      if (!ea || !eb) {
        await detectFrame(i);
        continue;
      }
      const fa = index.frames[a].frame, fb = index.frames[b].frame, t = (index.frames[i].frame - fa) / (fb - fa);
      const lerp = (p: Point, q: Point): Point => [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
      const eyes: [Point, Point] = [lerp(ea[0], eb[0]), lerp(ea[1], eb[1])];
      await writeCrop(i, eyes);
      const meta: AlignMeta = { eyes, interpolated: true };
      writeJsonAtomic(paths[i].meta, meta);
      metas[i] = meta;
      report.interpolated++;
      progress();
    }
  }

  const out: FrameRecord[] = [];
  index.frames.forEach((f, i) => {
    if (metas[i]?.eyes) {
      report.aligned++;
      out.push({ ...f, image: paths[i].crop });
    } else report.noFace.push({ subject: f.subject, frame: f.frame, image: f.image });
  });
  return { frames: out, report };
}

function readMeta(file: string): AlignMeta {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as AlignMeta;
}
