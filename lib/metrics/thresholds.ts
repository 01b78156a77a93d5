import { precisionRecallCurve } from './pr_curve';
import { type LabelMatrix, columns, columnsOf } from './rows';

export interface BestThresholds {
  /** per label, the threshold to use as `score >= threshold` */
  thresholds: number[];
  /** per label, the F1 reached on the given (validation) set at that threshold */
  f1: number[];
  /** per label, true when the label has no positive in the set and `fallback` was used */
  fallback: boolean[];
}

/**
 * Per-label decision thresholds maximising F1 on a validation set (for the tuned F1 of the results schema).
 * Candidates are the thresholds of the label's precision-recall curve (`precisionRecallCurve`, i.e. every distinct
 * score); F1 = 2 P R / (P + R) at each (0 when P + R = 0). Ties: the LOWEST threshold with the highest F1, which is
 * what the common idiom `t[argmax(f1[:-1])]` over sklearn's `precision_recall_curve` returns.
 * A label with no positive in the set has F1 0 at every threshold; it gets `opts.fallback` (default 0.5) instead
 * of the lowest score (which would call every sample positive), and is flagged in `fallback`.
 * Do not tune on the test fold.
 *
 * @param labels [n][labels] 0/1 (or flat row-major with opts.numLabels)
 * @param scores [n][labels]
 */
export function bestThresholds(
  labels: LabelMatrix,
  scores: LabelMatrix,
  opts: { fallback?: number; numLabels?: number } = {},
): BestThresholds {
  const fallbackValue = opts.fallback ?? 0.5;
  if (typeof fallbackValue !== 'number' || Number.isNaN(fallbackValue)) {
    throw new Error(`bestThresholds: fallback must be a number, got ${fallbackValue}`);
  }
  const k = columnsOf('bestThresholds', labels, opts.numLabels);
  const { y, s } = columns('bestThresholds', labels, scores, k);
  const out: BestThresholds = { thresholds: [], f1: [], fallback: [] };
  for (let j = 0; j < k; j++) {
    if (y[j].length === 0) throw new Error('bestThresholds: no rows');
    if (!y[j].includes(1)) {
      out.thresholds.push(fallbackValue);
      out.f1.push(0);
      out.fallback.push(true);
      continue;
    }
    const { precision, recall, thresholds } = precisionRecallCurve(y[j], s[j]);
    let best = -1;
    let bestF1 = -1;
    for (let i = 0; i < thresholds.length; i++) {
      const p = precision[i];
      const r = recall[i];
      const f1 = p + r === 0 ? 0 : (2 * p * r) / (p + r);
      if (f1 > bestF1) {
        bestF1 = f1;
        best = i;
      }
    }
    out.thresholds.push(thresholds[best]);
    out.f1.push(bestF1);
    out.fallback.push(false);
  }
  return out;
}
