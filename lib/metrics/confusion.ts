import { type LabelMatrix, columnsOf, forEachPair } from './rows';

/** Per-label confusion counts at a decision threshold (`score >= threshold` is a predicted positive). */
export interface ConfusionCounts {
  tp: number[];
  fp: number[];
  fn: number[];
  tn: number[];
}

/** One threshold for all labels, or one per label. Default 0.5 (sigmoid scores; use 0 for logits). */
export type Thresholds = number | ArrayLike<number>;

export const DEFAULT_THRESHOLD = 0.5;

/** Expands a threshold option to one value per label, checking it; errors echo the bad value. */
export function thresholdsFor(what: string, threshold: Thresholds | undefined, numLabels: number): number[] {
  const t = threshold ?? DEFAULT_THRESHOLD;
  const out = typeof t === 'number' ? new Array<number>(numLabels).fill(t) : Array.from(t);
  if (out.length !== numLabels) throw new Error(`${what}: ${out.length} thresholds for ${numLabels} labels`);
  const bad = out.findIndex((v) => typeof v !== 'number' || Number.isNaN(v));
  if (bad >= 0) throw new Error(`${what}: threshold[${bad}] = ${out[bad]} is not a number`);
  return out;
}

/**
 * Confusion counts that accumulate over batches, so F1 can be computed from counts summed over a whole test fold
 * (the DISFA protocol: F1 from TP/FP/FN accumulated over the fold, not averaged over batches).
 *
 * @example
 * const acc = new ConfusionAccumulator(aus.length);            // threshold 0.5 on sigmoid scores
 * for await (const { x, y } of batches) acc.update(y.dataSync(), tf.sigmoid(model.predict(x)).dataSync());
 * const report = f1FromCounts(acc.counts(), aus);
 */
export class ConfusionAccumulator {
  readonly numLabels: number;
  readonly thresholds: number[];
  private readonly c: ConfusionCounts;
  private n = 0;

  constructor(numLabels: number, opts: { threshold?: Thresholds } = {}) {
    if (!Number.isInteger(numLabels) || numLabels <= 0) {
      throw new Error(`ConfusionAccumulator: numLabels must be a positive integer, got ${numLabels}`);
    }
    this.numLabels = numLabels;
    this.thresholds = thresholdsFor('ConfusionAccumulator', opts.threshold, numLabels);
    this.c = { tp: zeros(numLabels), fp: zeros(numLabels), fn: zeros(numLabels), tn: zeros(numLabels) };
  }

  /** Adds a batch: rows [n][labels] or flat row-major [n * labels] labels (0/1) and scores. */
  update(labels: LabelMatrix, scores: LabelMatrix): this {
    // Validate the whole batch before counting so a bad batch leaves the counts untouched.
    const batch = { tp: zeros(this.numLabels), fp: zeros(this.numLabels), fn: zeros(this.numLabels), tn: zeros(this.numLabels) };
    this.n += forEachPair('ConfusionAccumulator.update', labels, scores, this.numLabels, (_r, k, y, s) => {
      const predicted = s >= this.thresholds[k];
      if (y === 1) {
        if (predicted) batch.tp[k]++;
        else batch.fn[k]++;
      } else if (predicted) batch.fp[k]++;
      else batch.tn[k]++;
    });
    for (let k = 0; k < this.numLabels; k++) {
      this.c.tp[k] += batch.tp[k];
      this.c.fp[k] += batch.fp[k];
      this.c.fn[k] += batch.fn[k];
      this.c.tn[k] += batch.tn[k];
    }
    return this;
  }

  /** Samples (rows) seen so far. */
  get samples(): number {
    return this.n;
  }

  /** A copy of the counts so far. */
  counts(): ConfusionCounts {
    return { tp: [...this.c.tp], fp: [...this.c.fp], fn: [...this.c.fn], tn: [...this.c.tn] };
  }

  reset(): void {
    for (const key of ['tp', 'fp', 'fn', 'tn'] as const) this.c[key].fill(0);
    this.n = 0;
  }
}

/** Confusion counts of one batch (see `ConfusionAccumulator`). `numLabels` is needed only for flat arrays. */
export function confusionCounts(
  labels: LabelMatrix,
  scores: LabelMatrix,
  opts: { threshold?: Thresholds; numLabels?: number } = {},
): ConfusionCounts {
  const k = columnsOf('confusionCounts', labels, opts.numLabels);
  return new ConfusionAccumulator(k, { threshold: opts.threshold }).update(labels, scores).counts();
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}
