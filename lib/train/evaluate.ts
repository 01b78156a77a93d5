/**
 * Evaluation, in two entry points:
 * - `scoreFrames`: logits of frames from a model in inference mode, from images (the whole model) or from cached
 *   pooled features (the head alone);
 * - `evaluateScores`: labels + sigmoid scores -> the test-fold metrics of the DISFA protocol
 *   (shared/reference/baselines.md): per-AU precision, recall and F1 from TP/FP/FN accumulated over every test
 *   frame at threshold 0.5, their mean over the AUs, AP and PR curves from the raw scores, the same metrics at
 *   per-AU thresholds tuned on the validation subjects, and the all-positive baseline every AU detector must beat.
 * `validationMetrics` (loss and mean F1 for early stopping) and `evaluateModel` (validation + test of a run) are
 * compositions of the two.
 */
import * as tf from '@tensorflow/tfjs';
import { imageBatches } from '../data/pipeline';
import type { FrameRecord } from '../data';
import type { LossFn } from '../losses';
import { averagePrecision, bestThresholds, f1Report, precisionRecallCurve, subjectBootstrap } from '../metrics';
import type { AuModel } from '../models';
import type { AuMetrics, Curve, ResultsMetrics, Stage1Metrics, ThresholdedMetrics } from '../results/schema';
import type { ExperimentConfig } from './config';
import type { ExperimentData } from './experiment_data';
import type { ProgressFn } from './progress';

/** Column `k` of a row-major [n, K] matrix. */
export function column(m: ArrayLike<number>, numCols: number, k: number): Float64Array {
  const n = m.length / numCols;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = m[i * numCols + k];
  return out;
}

/**
 * The all-positive baseline: predict every AU in every frame. Precision_k = p_k (positive rate), recall 1,
 * F1_k = 2 p_k / (1 + p_k); an AU never present scores 0 (F1 of 0 with no true positive, as lib/metrics).
 */
export function allPositiveBaseline(labels: ArrayLike<number>, aus: string[]): ResultsMetrics['baseline']['allPositive'] {
  const rep = f1Report(labels, new Float32Array(labels.length).fill(1), { names: aus, numLabels: aus.length, threshold: 0.5 });
  const perAu: Record<string, { precision: number; recall: number; f1: number }> = {};
  for (const l of rep.perLabel) perAu[l.name] = { precision: l.precision, recall: l.recall, f1: l.f1 };
  return { perAu, meanF1: rep.meanF1 };
}

function thresholded(labels: ArrayLike<number>, scores: ArrayLike<number>, aus: string[], thresholds: number[], ap: number[]): ThresholdedMetrics {
  const rep = f1Report(labels, scores, { names: aus, numLabels: aus.length, threshold: thresholds });
  const perAu: Record<string, AuMetrics> = {};
  const th: Record<string, number> = {};
  rep.perLabel.forEach((l, k) => {
    perAu[l.name] = { precision: l.precision, recall: l.recall, f1: l.f1, ap: ap[k], support: l.support };
    th[l.name] = thresholds[k];
  });
  return { perAu, meanF1: rep.meanF1, thresholds: th };
}

/**
 * Thins a PR curve to at most `maxPoints` points for storage in results files (a DISFA test fold has ~43k frames,
 * so a full curve per AU would make files of megabytes): keeps every k-th operating point, the first one and the
 * final (recall 0, precision 1) point. AP is always computed on the full curve.
 */
export function thinCurve(curve: Curve, maxPoints = 1000): Curve {
  const n = curve.precision.length;
  if (n <= maxPoints) return curve;
  const step = Math.ceil((n - 1) / (maxPoints - 1));
  const idx: number[] = [];
  for (let i = 0; i < n - 1; i += step) idx.push(i);
  return {
    precision: [...idx.map((i) => curve.precision[i]), curve.precision[n - 1]],
    recall: [...idx.map((i) => curve.recall[i]), curve.recall[n - 1]],
    thresholds: idx.map((i) => curve.thresholds[i]),
  };
}

/**
 * Metrics of sigmoid `scores` against 0/1 `labels` (both row-major [n, aus.length]); with validation labels and
 * scores, also at the F1-optimal per-AU thresholds found on validation (lib/metrics bestThresholds).
 */
export function evaluateScores(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  aus: string[],
  validation?: { labels: ArrayLike<number>; scores: ArrayLike<number> },
  threshold = 0.5,
  maxCurvePoints = 1000,
): { metrics: ResultsMetrics; curves: Record<string, Curve> } {
  const K = aus.length;
  if (labels.length !== scores.length) throw new Error(`evaluateScores: ${labels.length} labels but ${scores.length} scores`);
  if (labels.length % K !== 0) throw new Error(`evaluateScores: ${labels.length} values is not a multiple of ${K} AUs`);
  const curves: Record<string, Curve> = {};
  const ap: number[] = [];
  aus.forEach((au, k) => {
    const y = column(labels, K, k);
    const s = column(scores, K, k);
    curves[au] = thinCurve(precisionRecallCurve(y, s), maxCurvePoints);
    ap.push(averagePrecision(y, s));
  });
  const at = thresholded(labels, scores, aus, aus.map(() => threshold), ap);
  const metrics: ResultsMetrics = {
    ...at,
    meanAp: ap.reduce((a, b) => a + b, 0) / K,
    baseline: { allPositive: allPositiveBaseline(labels, aus) },
  };
  if (validation && validation.labels.length > 0) {
    const best = bestThresholds(validation.labels, validation.scores, { numLabels: K, fallback: threshold });
    metrics.tuned = thresholded(labels, scores, aus, best.thresholds, ap);
  }
  return { metrics, curves };
}

/** What to score: image frames (through the whole model) or pooled features [n, featureDim] (through the head). */
export type ScoreInput = { frames: FrameRecord[] } | { features: Float32Array };

/**
 * Logits (row-major [n, K]) of `input` from `m` in inference mode, in batches of `evalBatchSize`: BatchNorm uses
 * its moving statistics, Dropout is off.
 */
export async function scoreFrames(
  m: AuModel,
  input: ScoreInput,
  c: Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>,
  onProgress: ProgressFn = () => undefined,
): Promise<Float32Array> {
  const K = m.numAus;
  if ('features' in input) {
    const dim = m.featureDim;
    const n = input.features.length / dim;
    const out = new Float32Array(n * K);
    for (let s = 0; s < n; s += c.evalBatchSize) {
      const e = Math.min(n, s + c.evalBatchSize);
      tf.tidy(() => {
        const x = tf.tensor2d(input.features.subarray(s * dim, e * dim), [e - s, dim]);
        out.set((m.head.predict(x) as tf.Tensor).dataSync() as Float32Array, s * K);
      });
    }
    return out;
  }
  const { frames } = input;
  const out = new Float32Array(frames.length * K);
  const steps = Math.ceil(frames.length / c.evalBatchSize);
  let step = 0;
  const batches = imageBatches(frames, { aus: c.aus, inputSize: c.inputSize, batchSize: c.evalBatchSize, shuffle: false, seed: 0, augment: null, preprocess: m.preprocess });
  for await (const b of batches) {
    const logits = m.model.predict(b.x) as tf.Tensor2D;
    const data = (await logits.data()) as Float32Array;
    b.index.forEach((j, r) => out.set(data.subarray(r * K, (r + 1) * K), j * K));
    tf.dispose([logits, b.x, b.y]);
    onProgress({ kind: 'step', phase: 'eval', epoch: 0, epochs: 0, step: ++step, steps });
  }
  return out;
}

export function sigmoidArray(logits: Float32Array): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]));
  return out;
}

/** Validation loss (the training loss over the whole validation set) and mean F1 at 0.5, from logits. */
export function validationMetrics(loss: LossFn, labels: Float32Array, logits: Float32Array, aus: string[]): { valLoss: number; valMeanF1: number } {
  const K = aus.length;
  const n = labels.length / K;
  const valLoss = tf.tidy(() => loss(tf.tensor2d(labels, [n, K]), tf.tensor2d(logits, [n, K])).dataSync()[0]);
  const valMeanF1 = f1Report(labels, sigmoidArray(logits), { numLabels: K, names: aus }).meanF1;
  return { valLoss, valMeanF1 };
}

/** The stage-1 summary of full metrics (metrics.stage1: F1 at 0.5 and tuned, AP). */
export function stage1Summary(m: ResultsMetrics): Stage1Metrics {
  return { perAu: m.perAu, meanF1: m.meanF1, thresholds: m.thresholds, meanAp: m.meanAp, ...(m.tuned ? { tuned: m.tuned } : {}) };
}

/**
 * Scores the validation and test frames of `d` (images, or pooled features when given: the stage-1 model) and
 * computes the test metrics, with thresholds tuned on validation, and their 95% intervals over a bootstrap of the
 * test subjects (metrics.ci, lib/metrics subjectBootstrap: 1000 resamples, seed 1).
 */
export async function evaluateModel(
  m: AuModel,
  d: Pick<ExperimentData, 'val' | 'test' | 'valLabels' | 'testLabels'>,
  c: ExperimentConfig,
  opts: { onProgress?: ProgressFn; features?: { val: Float32Array; test: Float32Array } } = {},
): Promise<{ metrics: ResultsMetrics; curves: Record<string, Curve>; valScores: Float32Array; testScores: Float32Array }> {
  const onProgress = opts.onProgress ?? (() => undefined);
  onProgress({ kind: 'phase', phase: 'evaluate', detail: `${d.val.length} validation + ${d.test.length} test frames${opts.features ? ' (cached features, head only)' : ''}` });
  const val: ScoreInput = opts.features ? { features: opts.features.val } : { frames: d.val };
  const test: ScoreInput = opts.features ? { features: opts.features.test } : { frames: d.test };
  const valScores = sigmoidArray(await scoreFrames(m, val, c, onProgress));
  const testScores = sigmoidArray(await scoreFrames(m, test, c, onProgress));
  const { metrics, curves } = evaluateScores(d.testLabels, testScores, c.aus, { labels: d.valLabels, scores: valScores });
  const tuned = metrics.tuned;
  metrics.ci = subjectBootstrap(d.testLabels, testScores, d.test.map((f) => f.subject), c.aus.length, {
    tunedThresholds: tuned ? c.aus.map((au) => tuned.thresholds[au]) : undefined,
  });
  return { metrics, curves, valScores, testScores };
}
