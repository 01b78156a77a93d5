/**
 * Test-fold evaluation (DISFA protocol, shared/reference/baselines.md): per-AU precision, recall and F1 from
 * TP/FP/FN accumulated over every test frame at threshold 0.5, their mean over the AUs, AP and PR curves from
 * the raw scores, the same metrics at per-AU thresholds tuned on the validation subjects, and the all-positive
 * baseline every AU detector must beat.
 */
import { averagePrecision, bestThresholds, f1Report, precisionRecallCurve } from '../metrics';
import type { AuMetrics, Curve, ResultsMetrics, ThresholdedMetrics } from '../results/schema';

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
