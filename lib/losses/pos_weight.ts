export interface PosWeightOptions {
  /** Weights are clamped to [1 / maxWeight, maxWeight]. Default 100. Must be >= 1. */
  maxWeight?: number;
}

/**
 * Per-label positive weights for `bceLoss` / `getLoss('bce-weighted')` from label counts of the TRAINING set:
 *
 *   w_k = negatives_k / positives_k = (total - positives_k) / positives_k,  clamped to [1 / maxWeight, maxWeight]
 *
 * the usual choice for PyTorch's `BCEWithLogitsLoss(pos_weight)` (it makes positives and negatives of each label
 * weigh the same in total). A label that is never positive, or always positive, gets w = 1: one of the two terms
 * never occurs in training, so there is nothing to rebalance, and a huge or zero weight would only distort the
 * loss on other data (validation).
 *
 * @param positives positive count per label, e.g. the paper's Table 1
 * @param total number of samples (rows) the counts come from
 */
export function posWeightFromCounts(positives: ArrayLike<number>, total: number, opts: PosWeightOptions = {}): number[] {
  const maxWeight = opts.maxWeight ?? 100;
  if (typeof maxWeight !== 'number' || Number.isNaN(maxWeight) || maxWeight < 1) {
    throw new Error(`posWeight: maxWeight must be a number >= 1, got ${maxWeight}`);
  }
  if (!Number.isInteger(total) || total <= 0) throw new Error(`posWeight: total must be a positive integer, got ${total}`);
  const out: number[] = [];
  for (let k = 0; k < positives.length; k++) {
    const p = positives[k];
    if (!Number.isFinite(p) || p < 0 || p > total) {
      throw new Error(`posWeight: positives[${k}] = ${p} is not a count in [0, ${total}]`);
    }
    if (p === 0 || p === total) {
      out.push(1);
      continue;
    }
    out.push(Math.min(maxWeight, Math.max(1 / maxWeight, (total - p) / p)));
  }
  return out;
}

/**
 * `posWeightFromCounts` over label rows: `labels` is either rows (`number[][]`, [n][labels]) or a flat row-major
 * array ([n * numLabels], e.g. `labelsOf(frames, aus)` from lib/data) with `numLabels` given. Values >= 0.5
 * count as positive.
 */
export function posWeightFromLabels(
  labels: ArrayLike<number>[] | ArrayLike<number>,
  numLabels?: number,
  opts: PosWeightOptions = {},
): number[] {
  const { counts, rows } = countPositives(labels, numLabels);
  return posWeightFromCounts(counts, rows, opts);
}

function countPositives(labels: ArrayLike<number>[] | ArrayLike<number>, numLabels?: number): { counts: number[]; rows: number } {
  if (labels == null || typeof labels.length !== 'number') throw new Error('posWeightFromLabels: labels must be an array');
  if (labels.length === 0) throw new Error('posWeightFromLabels: no label rows');
  const first = (labels as ArrayLike<unknown>)[0];
  if (typeof first === 'number') {
    const flat = labels as ArrayLike<number>;
    if (numLabels === undefined || !Number.isInteger(numLabels) || numLabels <= 0) {
      throw new Error('posWeightFromLabels: a flat label array needs numLabels (a positive integer)');
    }
    if (flat.length % numLabels !== 0) {
      throw new Error(`posWeightFromLabels: flat array of ${flat.length} values is not a multiple of numLabels = ${numLabels}`);
    }
    const counts = new Array<number>(numLabels).fill(0);
    for (let i = 0; i < flat.length; i++) if (flat[i] >= 0.5) counts[i % numLabels]++;
    return { counts, rows: flat.length / numLabels };
  }
  const rows = labels as ArrayLike<number>[];
  const k = numLabels ?? rows[0].length;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] == null || rows[i].length !== k) {
      throw new Error(`posWeightFromLabels: row ${i} has ${rows[i]?.length} values, expected ${k}`);
    }
    for (let j = 0; j < k; j++) if (rows[i][j] >= 0.5) counts[j]++;
  }
  return { counts, rows: rows.length };
}
