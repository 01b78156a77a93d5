/**
 * Scoring images and video frames with a trained model: one row per detected face (lib/train/predict_rows.ts)
 * with the face's box, the detector's score, and every AU's sigmoid score and presence (score >= threshold).
 * Each face is aligned as the training crops were framed: face-api detection + 68 landmarks, then the eye
 * similarity of lib/data/align (`alignedFaceRgb`, the same step the synthetic renderer frames its faces with).
 * A frame without a face gets one row with face 0 and no scores.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Image } from '@napi-rs/canvas';
import { alignedFaceRgb, FaceDetector, type DetectorOptions, type FaceDetection } from '../data/align';
import { defaultCacheDir, contentKey } from '../data/cache';
import { decodeImage, drawToRgb } from '../data/image';
import { extractFrames } from '../data/video';
import { loadAuModel, type AuModel } from '../models';
import { readResults } from '../results/io';
import type { PredictionRow } from './predict_rows';

export { predictionColumns, predictionRecords, predictionsCsv, type FaceBox, type PredictionRecord, type PredictionRow } from './predict_rows';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp', '.webp'];
export const VIDEO_EXTENSIONS = ['.avi', '.mp4', '.mov', '.mkv', '.webm'];

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

/** One input frame: the file it came from, its frame number, and the image to decode. */
interface InputFrame {
  source: string;
  frame: number;
  image: string;
}

/** Images are one frame; videos are decoded once into `<cacheDir>/predict-frames/<key>/`. */
function inputFrames(files: string[], cacheDir: string): InputFrame[] {
  const out: InputFrame[] = [];
  for (const file of files) {
    if (VIDEO_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      const st = fs.statSync(file);
      const dir = path.join(cacheDir, 'predict-frames', contentKey(file, st.size, st.mtimeMs).slice(0, 24));
      const n = extractFrames(file, dir);
      for (let i = 1; i <= n; i++) out.push({ source: file, frame: i, image: path.join(dir, `${String(i).padStart(5, '0')}.png`) });
    } else out.push({ source: file, frame: 1, image: file });
  }
  return out;
}

/** Faces of one frame, numbered left to right (then top to bottom), with their aligned crops at `size`. */
export async function frameFaces(
  img: Image,
  size: number,
  detector: FaceDetector | null,
): Promise<{ detection: FaceDetection | null; box: PredictionRow['box']; rgb: Uint8Array }[]> {
  if (!detector) return [{ detection: null, box: { x: 0, y: 0, width: img.width, height: img.height }, rgb: drawToRgb(img, size) }];
  const faces = (await detector.detectAllImage(img)).sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  return faces.map((f) => ({ detection: f, box: f.box, rgb: alignedFaceRgb(img, f.eyes, { size }) }));
}

export interface PredictOptions {
  /** false for inputs that already are aligned square face crops (e.g. the synthetic set's frames): one face each. */
  align?: boolean;
  batchSize?: number;
  cacheDir?: string;
  /** Detector settings (default: SSD then Tiny, minimum score 0.5). */
  detector?: DetectorOptions;
  /** A loaded detector to reuse. */
  detectorInstance?: FaceDetector;
  onProgress?: (done: number, total: number) => void;
}

/** Scores every face of every image and video frame of `inputs`: one row per face, face 0 for a frame without one. */
export async function predictFiles(p: Predictor, inputs: string[], opts: PredictOptions = {}): Promise<PredictionRow[]> {
  const frames = inputFrames(expandInputs(inputs), opts.cacheDir ?? defaultCacheDir());
  const detector = (opts.align ?? true) ? (opts.detectorInstance ?? (await FaceDetector.load(opts.detector))) : null;
  const size = p.model.inputSize;
  const bs = opts.batchSize ?? 32;
  const rows: PredictionRow[] = [];
  let pending: { row: PredictionRow; rgb: Uint8Array }[] = [];
  const flush = () => {
    if (!pending.length) return;
    const pixels = new Float32Array(pending.length * size * size * 3);
    pending.forEach((q, i) => pixels.set(q.rgb, i * size * size * 3));
    const scores = scoreBatch(p.model, pixels, pending.length);
    pending.forEach((q, i) => fillScores(q.row, p, scores.subarray(i * p.aus.length, (i + 1) * p.aus.length)));
    pending = [];
  };
  for (let fi = 0; fi < frames.length; fi++) {
    const fr = frames[fi];
    const faces = await frameFaces(await decodeImage(fr.image), size, detector);
    if (!faces.length) rows.push({ file: fr.source, frame: fr.frame, face: 0, box: null, detectionScore: null, scores: null, present: null });
    faces.forEach((f, k) => {
      const row: PredictionRow = { file: fr.source, frame: fr.frame, face: k + 1, box: f.box, detectionScore: f.detection?.score ?? null, scores: null, present: null };
      rows.push(row);
      pending.push({ row, rgb: f.rgb });
    });
    if (pending.length >= bs) flush();
    opts.onProgress?.(fi + 1, frames.length);
  }
  flush();
  return rows;
}

/** Sigmoid scores [n, K] of n RGB crops (HWC bytes as floats). */
export function scoreBatch(model: AuModel, pixels: Float32Array, n: number): Float32Array {
  const size = model.inputSize;
  return tf.tidy(() => {
    const x = model.preprocess(tf.tensor4d(pixels, [n, size, size, 3]));
    return tf.sigmoid(model.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

function fillScores(row: PredictionRow, p: Predictor, v: Float32Array): void {
  const scores: Record<string, number> = {};
  const present: Record<string, boolean> = {};
  p.aus.forEach((au, k) => {
    scores[au] = v[k];
    present[au] = v[k] >= p.thresholds[k];
  });
  row.scores = scores;
  row.present = present;
}
