/**
 * Precision-recall curve and average precision, value for value what scikit-learn 1.2 returns
 * (sklearn.metrics.precision_recall_curve / average_precision_score, no sample weights, positive label 1;
 * checked against Debian bookworm's python3-sklearn 1.2.1 by test/fixtures/metrics/).
 */

export interface PrCurve {
  /** precision[i] at thresholds[i]; last value 1 (no threshold), as sklearn. */
  precision: number[];
  /** recall[i] at thresholds[i], non-increasing; last value 0. */
  recall: number[];
  /** the distinct scores, increasing: predicting `score >= thresholds[i]` gives precision[i], recall[i]. */
  thresholds: number[];
}

/** Checks one binary problem: same non-zero length, labels 0/1, scores not NaN. Errors name `what` and the index. */
export function checkBinary(what: string, labels: ArrayLike<number>, scores: ArrayLike<number>): void {
  if (labels == null || scores == null || typeof labels.length !== 'number' || typeof scores.length !== 'number') {
    throw new Error(`${what}: labels and scores must be arrays`);
  }
  if (labels.length !== scores.length) {
    throw new Error(`${what}: ${labels.length} labels but ${scores.length} scores`);
  }
  if (labels.length === 0) throw new Error(`${what}: empty input`);
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${what}: labels[${i}] = ${labels[i]} is not 0 or 1`);
    if (typeof scores[i] !== 'number' || Number.isNaN(scores[i])) {
      throw new Error(`${what}: scores[${i}] = ${scores[i]} is not a number`);
    }
  }
}

/**
 * sklearn's `_binary_clf_curve`: sort by score, descending; at the last index of each run of tied scores,
 * the cumulative true positives and false positives. Returned in that (descending-threshold) order.
 */
function binaryClfCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): { tps: number[]; fps: number[]; thresholds: number[] } {
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    tp += labels[i];
    // Ties are one point: emit only at the end of a run of equal scores (order within the run does not matter).
    if (r === n - 1 || scores[order[r + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(r + 1 - tp);
      thresholds.push(scores[i]);
    }
  }
  return { tps, fps, thresholds };
}

/**
 * Precision-recall pairs for the decision rule `score >= threshold` at every distinct score, exactly as
 * scikit-learn 1.2's `precision_recall_curve(labels, scores)`:
 * precision = TP / (TP + FP), recall = TP / P, thresholds increasing; then a final point (precision 1, recall 0)
 * with no threshold. All thresholds are kept, as in sklearn 1.2.1 (older sklearn releases stopped at the first full-recall point).
 * With no positive label at all recall is 1 at every threshold (sklearn warns and does the same).
 *
 * @param labels 0/1 per sample
 * @param scores any real score per sample (probability or logit)
 */
export function precisionRecallCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): PrCurve {
  checkBinary('precisionRecallCurve', labels, scores);
  const { tps, fps, thresholds } = binaryClfCurve(labels, scores);
  const totalPositives = tps[tps.length - 1];
  const precision: number[] = [];
  const recall: number[] = [];
  for (let i = tps.length - 1; i >= 0; i--) {
    precision.push(tps[i] / (tps[i] + fps[i]));
    recall.push(totalPositives === 0 ? 1 : tps[i] / totalPositives);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: thresholds.reverse() };
}

/**
 * Average precision, scikit-learn's `average_precision_score(labels, scores)` for one label: the step integral
 * AP = sum_i (R_i - R_{i+1}) P_i over the curve above (no interpolation). With no positive label it is 0
 * (sklearn 1.2 warns and returns 0 too). Summed left to right; sklearn's numpy sum is pairwise, so the two agree
 * to ~1e-15, not always to the last bit.
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(labels, scores);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap += (recall[i] - recall[i + 1]) * precision[i];
  return ap === 0 ? 0 : ap; // no -0
}
