/**
 * Scoring images and video frames with a trained model: one row per image or frame with the sigmoid score and
 * the presence (score >= threshold) of every AU. Raw photos and video frames are aligned first (lib/data
 * alignFrames: face detection, 68 landmarks, eye-based similarity warp), as the training crops were; frames
 * without a face get a row with `face: false` and no scores.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { alignFrames } from '../data/align';
import { defaultCacheDir, contentKey } from '../data/cache';
import { loadImageRgb } from '../data/image';
import { extractFrames } from '../data/video';
import type { FrameRecord } from '../data';
import { loadAuModel, type AuModel } from '../models';
import { readResults } from '../results/io';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp', '.webp'];
export const VIDEO_EXTENSIONS = ['.avi', '.mp4', '.mov', '.mkv', '.webm'];

export interface PredictionRow {
  /** The input file (image or video). */
  file: string;
  /** 1-based frame number in a video; 1 for an image. */
  frame: number;
  /** False when alignment found no face (scores and presence are then null). */
  face: boolean;
  scores: Record<string, number> | null;
  present: Record<string, boolean> | null;
}

/** A model ready to predict: the network, its AU names and per-AU thresholds. */
export interface Predictor {
  model: AuModel;
  aus: string[];
  thresholds: number[];
  /** Where the thresholds came from. */
  thresholdSource: string;
}

/**
 * Loads a model for prediction from a run directory (DIR/model + DIR/results.json) or a model directory
 * (DIR/fer-au.json). threshold: a number, or 'tuned' for the run's thresholds tuned on validation.
 */
export async function loadPredictor(dir: string, threshold: number | 'tuned' = 0.5): Promise<Predictor> {
  const abs = path.resolve(dir);
  const isRun = fs.existsSync(path.join(abs, 'model', 'fer-au.json'));
  if (!isRun && !fs.existsSync(path.join(abs, 'fer-au.json'))) {
    throw new Error(`${abs}: neither a run directory (model/fer-au.json) nor a saved model (fer-au.json)`);
  }
  const model = await loadAuModel(isRun ? path.join(abs, 'model') : abs);
  const aus = model.aus ?? Array.from({ length: model.numAus }, (_, k) => `out${k}`);
  if (threshold !== 'tuned') return { model, aus, thresholds: aus.map(() => threshold), thresholdSource: `fixed ${threshold}` };
  const resultsFile = path.join(abs, 'results.json');
  if (!isRun || !fs.existsSync(resultsFile)) throw new Error(`${abs}: --threshold tuned needs a run directory with results.json`);
  const tuned = readResults(resultsFile).metrics.tuned;
  if (!tuned) throw new Error(`${resultsFile}: metrics.tuned missing (no validation thresholds)`);
  return { model, aus, thresholds: aus.map((a) => tuned.thresholds[a]), thresholdSource: `tuned on validation (${resultsFile})` };
}

/** Expands inputs: images, videos, and folders (their images and videos, sorted, not recursive). */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    if (!fs.existsSync(abs)) throw new Error(`${input}: no such file or directory`);
    if (fs.statSync(abs).isDirectory()) {
      const files = fs
        .readdirSync(abs)
        .filter((f) => [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS].includes(path.extname(f).toLowerCase()))
        .sort();
      if (!files.length) throw new Error(`${input}: no images or videos (${[...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS].join(' ')})`);
      out.push(...files.map((f) => path.join(abs, f)));
    } else {
      const ext = path.extname(abs).toLowerCase();
      if (![...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS].includes(ext)) {
        throw new Error(`${input}: unsupported file type '${ext}' (images: ${IMAGE_EXTENSIONS.join(' ')}; videos: ${VIDEO_EXTENSIONS.join(' ')})`);
      }
      out.push(abs);
    }
  }
  return out;
}

/**
 * Scores every image and video frame of `inputs`. `align: false` for inputs that already are aligned square face
 * crops (e.g. the synthetic set's frames).
 */
export async function predictFiles(
  p: Predictor,
  inputs: string[],
  opts: { align?: boolean; batchSize?: number; cacheDir?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<PredictionRow[]> {
  const files = expandInputs(inputs);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  // Every input becomes frame records (a video: one per decoded frame)
  const records: (FrameRecord & { source: string })[] = [];
  for (const file of files) {
    if (VIDEO_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      const st = fs.statSync(file);
      const dir = path.join(cacheDir, 'predict-frames', contentKey(file, st.size, st.mtimeMs).slice(0, 24));
      const n = extractFrames(file, dir);
      for (let i = 1; i <= n; i++) records.push({ subject: '', frame: i, image: path.join(dir, `${String(i).padStart(5, '0')}.png`), intensity: {}, source: file });
    } else {
      records.push({ subject: '', frame: 1, image: file, intensity: {}, source: file });
    }
  }
  let usable: (FrameRecord & { source: string })[] = records;
  const faceless = new Set<string>();
  if (opts.align ?? true) {
    const { frames, report } = await alignFrames({ frames: records, aligned: false }, { cacheDir });
    usable = frames as (FrameRecord & { source: string })[];
    for (const nf of report.noFace) faceless.add(`${nf.image}#${nf.frame}`);
  }
  const scoreOf = new Map<FrameRecord, Float32Array>();
  const K = p.aus.length;
  const size = p.model.inputSize;
  const bs = opts.batchSize ?? 32;
  for (let s = 0; s < usable.length; s += bs) {
    const batch = usable.slice(s, s + bs);
    const pixels = new Float32Array(batch.length * size * size * 3);
    const rgbs = await Promise.all(batch.map((r) => loadImageRgb(r.image, size)));
    rgbs.forEach((rgb, i) => pixels.set(rgb, i * size * size * 3));
    const scores = tf.tidy(() => {
      const x = p.model.preprocess(tf.tensor4d(pixels, [batch.length, size, size, 3]));
      return tf.sigmoid(p.model.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    });
    batch.forEach((r, i) => scoreOf.set(r, scores.slice(i * K, (i + 1) * K)));
    opts.onProgress?.(Math.min(s + bs, usable.length), usable.length);
  }
  // rows in input order; aligned records are copies, so match them by (source, frame)
  const byKey = new Map<string, Float32Array>();
  for (const [r, v] of scoreOf) byKey.set(`${(r as FrameRecord & { source: string }).source}#${r.frame}`, v);
  return records.map((r) => {
    const v = byKey.get(`${r.source}#${r.frame}`);
    if (!v) return { file: r.source, frame: r.frame, face: false, scores: null, present: null };
    const scores: Record<string, number> = {};
    const present: Record<string, boolean> = {};
    p.aus.forEach((au, k) => {
      scores[au] = v[k];
      present[au] = v[k] >= p.thresholds[k];
    });
    return { file: r.source, frame: r.frame, face: true, scores, present };
  });
}

/** CSV: file,frame,face,<AU>_score...,<AU> (presence 0/1)... one row per image or frame. */
export function predictionsCsv(rows: PredictionRow[], aus: string[]): string {
  const head = ['file', 'frame', 'face', ...aus.map((a) => `${a}_score`), ...aus].join(',');
  const lines = rows.map((r) =>
    [
      JSON.stringify(r.file),
      r.frame,
      r.face ? 1 : 0,
      ...aus.map((a) => (r.scores ? r.scores[a].toPrecision(6) : '')),
      ...aus.map((a) => (r.present ? (r.present[a] ? 1 : 0) : '')),
    ].join(','),
  );
  return `${[head, ...lines].join('\n')}\n`;
}
