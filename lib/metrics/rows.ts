/**
 * Multi-label inputs come either as rows (`number[][]`, [n][labels]) or flat and row-major
 * ([n * labels], e.g. `tensor.dataSync()` of a [n, labels] tensor, or `labelsOf()` from lib/data).
 */
export type LabelMatrix = ArrayLike<number>[] | ArrayLike<number>;

function isRows(m: LabelMatrix): m is ArrayLike<number>[] {
  return m.length > 0 && typeof (m as ArrayLike<unknown>)[0] === 'object';
}

/** Number of labels (columns) of `m`: the row length, or `numLabels` for a flat matrix (required then). */
export function columnsOf(what: string, m: LabelMatrix, numLabels?: number): number {
  if (m == null || typeof m.length !== 'number') throw new Error(`${what}: expected an array`);
  if (m.length === 0) throw new Error(`${what}: no rows`);
  if (isRows(m)) {
    const k = m[0].length;
    if (numLabels !== undefined && numLabels !== k) throw new Error(`${what}: rows have ${k} labels, expected ${numLabels}`);
    return k;
  }
  if (numLabels === undefined) {
    throw new Error(`${what}: a flat array needs numLabels`);
  }
  return numLabels;
}

/**
 * Calls `visit(row, label, y, s)` for every element of two matrices of the same shape, after checking it:
 * labels 0/1, scores not NaN. Errors name `what`, the row and the label index.
 * @returns the number of rows
 */
export function forEachPair(
  what: string,
  labels: LabelMatrix,
  scores: LabelMatrix,
  numLabels: number,
  visit: (row: number, label: number, y: number, s: number) => void,
): number {
  if (!Number.isInteger(numLabels) || numLabels <= 0) throw new Error(`${what}: numLabels must be a positive integer, got ${numLabels}`);
  if (labels == null || scores == null || typeof labels.length !== 'number' || typeof scores.length !== 'number') {
    throw new Error(`${what}: labels and scores must be arrays`);
  }
  const check = (r: number, k: number, y: number, s: number): void => {
    if (y !== 0 && y !== 1) throw new Error(`${what}: labels[${r}][${k}] = ${y} is not 0 or 1`);
    if (typeof s !== 'number' || Number.isNaN(s)) throw new Error(`${what}: scores[${r}][${k}] = ${s} is not a number`);
    visit(r, k, y, s);
  };
  const rowsL = isRows(labels);
  const rowsS = isRows(scores);
  const nL = rowsL ? labels.length : labels.length / numLabels;
  const nS = rowsS ? scores.length : scores.length / numLabels;
  if (!Number.isInteger(nL) || !Number.isInteger(nS)) {
    throw new Error(`${what}: flat array length is not a multiple of numLabels = ${numLabels}`);
  }
  if (nL !== nS) throw new Error(`${what}: ${nL} label rows but ${nS} score rows`);
  for (let r = 0; r < nL; r++) {
    const yr = rowsL ? (labels as ArrayLike<number>[])[r] : null;
    const sr = rowsS ? (scores as ArrayLike<number>[])[r] : null;
    if (yr && yr.length !== numLabels) throw new Error(`${what}: labels row ${r} has ${yr.length} values, expected ${numLabels}`);
    if (sr && sr.length !== numLabels) throw new Error(`${what}: scores row ${r} has ${sr.length} values, expected ${numLabels}`);
    for (let k = 0; k < numLabels; k++) {
      const y = yr ? yr[k] : (labels as ArrayLike<number>)[r * numLabels + k];
      const s = sr ? sr[k] : (scores as ArrayLike<number>)[r * numLabels + k];
      check(r, k, y, s);
    }
  }
  return nL;
}

/** Column k of both matrices as plain arrays: [labels, scores]. */
export function columns(what: string, labels: LabelMatrix, scores: LabelMatrix, numLabels: number): { y: number[][]; s: number[][] } {
  const y: number[][] = Array.from({ length: numLabels }, () => []);
  const s: number[][] = Array.from({ length: numLabels }, () => []);
  forEachPair(what, labels, scores, numLabels, (_r, k, yv, sv) => {
    y[k].push(yv);
    s[k].push(sv);
  });
  return { y, s };
}
