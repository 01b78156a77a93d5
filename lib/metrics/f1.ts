import { type ConfusionCounts, type Thresholds, confusionCounts } from './confusion';
import { type LabelMatrix, columnsOf } from './rows';

export interface LabelScores {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  /** number of true positives in the labels (TP + FN) */
  support: number;
}

export interface F1Report {
  perLabel: LabelScores[];
  /** unweighted mean of the per-label F1 (sklearn's average='macro'; the paper's Avg.F1) */
  meanF1: number;
}

/**
 * Precision, recall and F1 per label from confusion counts (the paper's eqs. 2-4):
 * P = TP / (TP + FP), R = TP / (TP + FN), F1 = 2 P R / (P + R).
 * Undefined ratios are 0, never NaN, as scikit-learn's `zero_division=0`: P = 0 when nothing is predicted
 * positive, R = 0 when the label never occurs, F1 = 0 when P + R = 0 (so a label that never occurs and is never
 * predicted has F1 0). F1 is computed as 2 P R / (P + R), the same operations as sklearn 1.2.
 *
 * @param names label names (default '0', '1', ...)
 */
export function f1FromCounts(counts: ConfusionCounts, names?: string[]): F1Report {
  const k = counts.tp.length;
  for (const key of ['fp', 'fn'] as const) {
    if (!counts[key] || counts[key].length !== k) throw new Error(`f1FromCounts: counts.${key} must have ${k} values like counts.tp`);
  }
  if (names !== undefined && names.length !== k) throw new Error(`f1FromCounts: ${names.length} names for ${k} labels`);
  const perLabel: LabelScores[] = [];
  for (let j = 0; j < k; j++) {
    const tp = counts.tp[j];
    const predicted = tp + counts.fp[j];
    const support = tp + counts.fn[j];
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel.push({ name: names ? names[j] : String(j), precision, recall, f1, support });
  }
  const meanF1 = k === 0 ? 0 : perLabel.reduce((a, r) => a + r.f1, 0) / k;
  return { perLabel, meanF1 };
}

/**
 * Per-label precision, recall, F1 and support at a threshold (`score >= threshold` is positive; default 0.5 for
 * sigmoid scores), and the mean F1 over labels. One threshold for all labels or one per label (e.g. from
 * `bestThresholds` on a validation set). Degenerate cases as in `f1FromCounts` (0, never NaN).
 * Equals sklearn's `precision_recall_fscore_support(y, scores >= t, average=None, zero_division=0)`.
 *
 * @param labels [n][labels] 0/1 (or flat row-major with opts.numLabels)
 * @param scores [n][labels]
 */
export function f1Report(
  labels: LabelMatrix,
  scores: LabelMatrix,
  opts: { threshold?: Thresholds; names?: string[]; numLabels?: number } = {},
): F1Report {
  const k = columnsOf('f1Report', labels, opts.numLabels ?? opts.names?.length);
  return f1FromCounts(confusionCounts(labels, scores, { threshold: opts.threshold, numLabels: k }), opts.names);
}
