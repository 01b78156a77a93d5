/**
 * Aligned-crop cache for frames given as image files: detect (or interpolate) the eye centres, warp by the
 * eye similarity into a square crop, and keep crop + eye metadata on disk keyed by source file, frame and
 * settings, so a frame is never searched twice. Frames with no face are counted and reported, never silently
 * dropped. Synthetic frames are already aligned (fer-au-synthetic.json: aligned: true) and skip all of this.
 */
import * as fs from 'fs';
import * as path from 'path';
import { type Image } from '@napi-rs/canvas';
import { writeFileAtomic, writeJsonAtomic } from '../../util/fs';
import { contentKey, defaultCacheDir } from '../cache';
import { decodeImage, encodeRgb, warpToRgb } from '../image';
import type { DatasetIndex, FrameRecord } from '../types';
import { DEFAULT_ALIGN, eyeAlignTransform, type AlignSettings, type Point } from './geometry';
import { FaceDetector, type DetectorOptions } from './detector';

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
