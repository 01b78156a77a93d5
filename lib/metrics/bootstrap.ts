/**
 * Confidence intervals of a test fold's metrics by resampling its SUBJECTS (a cluster bootstrap): frames of one
 * subject are strongly correlated, so resampling frames would make the intervals far too narrow. Each resample
 * draws as many subjects as the fold has, with replacement; a subject drawn twice counts its frames twice. The
 * metrics are recomputed the protocol's way on the pooled frames of the resample: per-AU TP/FP/FN summed over the
 * frames (F1 at 0.5 and at fixed validation-tuned thresholds), AP of the pooled scores (a subject drawn m times
 * weighs its frames by m, as scikit-learn's average_precision_score with sample_weight), each averaged over AUs.
 * The interval is the percentile interval of the resampled values (numpy's default linear interpolation).
 * Checked against an independent numpy computation that concatenates the drawn subjects' frames
 * (scripts/fixtures/stats.py).
 */
import { f1FromCounts } from './f1';
import { Rng } from '../util/rng';

/** A point estimate (on the test fold as it is) and its interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** What `subjectBootstrap` returns (and results files store as `metrics.ci`). */
export interface SubjectBootstrapCi {
  method: 'subject bootstrap (percentile)';
  level: number;
  resamples: number;
  seed: number;
  /** Distinct test subjects resampled. */
  subjects: number;
  /** Mean over AUs of F1 at the fixed threshold (0.5). */
  meanF1: Interval;
  /** Mean F1 at the validation-tuned thresholds (held fixed: they come from other subjects). */
  tunedMeanF1?: Interval;
  meanAp: Interval;
}

export interface SubjectBootstrapOptions {
  /** Resamples (default 1000). */
  resamples?: number;
  /** Seed of the subject draws (default 1). */
  seed?: number;
  /** Interval level (default 0.95). */
  level?: number;
  /** Fixed threshold of meanF1 (default 0.5). */
  threshold?: number;
  /** Per-label thresholds tuned on validation: adds tunedMeanF1. */
  tunedThresholds?: ArrayLike<number>;
  /**
   * Explicit draws instead of the seeded ones: draws[r] lists resample r's subjects as indices into the sorted
   * distinct subject ids (for checking against another implementation fed the same draws).
   */
  draws?: number[][];
}

/** The p-quantile of `sorted` (ascending) with linear interpolation, numpy.percentile's default. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error('quantileSorted: no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Per subject and label TP/FP/FN at per-label thresholds: [subject][label]. */
function countsBySubject(labels: ArrayLike<number>, scores: ArrayLike<number>, subjectOf: Int32Array, S: number, K: number, t: ArrayLike<number>) {
  const make = () => Array.from({ length: S }, () => new Float64Array(K));
  const tp = make();
  const fp = make();
  const fn = make();
  for (let i = 0; i < subjectOf.length; i++) {
    const s = subjectOf[i];
    for (let k = 0; k < K; k++) {
      const y = labels[i * K + k];
      const pred = scores[i * K + k] >= t[k];
      if (y === 1) (pred ? tp : fn)[s][k]++;
      else if (pred) fp[s][k]++;
    }
  }
  return { tp, fp, fn };
}

/** Mean F1 over labels of the counts weighted by subject multiplicity `w`. */
function weightedMeanF1(c: ReturnType<typeof countsBySubject>, w: Float64Array, K: number): number {
  const sum = (m: Float64Array[]) => Array.from({ length: K }, (_, k) => m.reduce((a, row, s) => a + w[s] * row[k], 0));
  return f1FromCounts({ tp: sum(c.tp), fp: sum(c.fp), fn: sum(c.fn), tn: new Array<number>(K).fill(0) }).meanF1;
}

/** One label's frames by descending score, as typed arrays: subject, label, and whether a run of tied scores ends. */
interface SortedLabel {
  subject: Int32Array;
  positive: Uint8Array;
  runEnd: Uint8Array;
}

function sortLabel(labels: ArrayLike<number>, scores: ArrayLike<number>, K: number, k: number, subjectOf: Int32Array): SortedLabel {
  const n = subjectOf.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b * K + k] - scores[a * K + k]);
  const out = { subject: new Int32Array(n), positive: new Uint8Array(n), runEnd: new Uint8Array(n) };
  order.forEach((i, r) => {
    out.subject[r] = subjectOf[i];
    out.positive[r] = labels[i * K + k] === 1 ? 1 : 0;
    out.runEnd[r] = r === n - 1 || scores[order[r + 1] * K + k] !== scores[i * K + k] ? 1 : 0;
  });
  return out;
}

/**
 * AP of one label with frame weights w[subject] (scikit-learn's average_precision_score with sample_weight:
 * zero-weight frames dropped, tied scores one point): sum over the points of (R_i - R_{i-1}) P_i, in descending
 * threshold order; 0 with no positive.
 */
function weightedAp(f: SortedLabel, w: Float64Array): number {
  let positives = 0;
  for (let r = 0; r < f.subject.length; r++) positives += w[f.subject[r]] * f.positive[r];
  if (positives === 0) return 0;
  let tp = 0;
  let fp = 0;
  let tpPrev = 0;
  let ap = 0;
  let open = false; // a run of tied scores holds a frame with weight
  for (let r = 0; r < f.subject.length; r++) {
    const wi = w[f.subject[r]];
    if (wi > 0) {
      if (f.positive[r]) tp += wi;
      else fp += wi;
      open = true;
    }
    if (f.runEnd[r] && open) {
      ap += ((tp - tpPrev) / positives) * (tp / (tp + fp));
      tpPrev = tp;
      open = false;
    }
  }
  return ap;
}

/**
 * Percentile confidence intervals of mean F1 (at `threshold`, and at `tunedThresholds` when given) and mean AP
 * over a resampling of the test subjects (see the file comment). Deterministic for a seed.
 *
 * @param labels row-major [n * numLabels] 0/1
 * @param scores row-major [n * numLabels] sigmoid scores
 * @param subjects the subject id of each of the n frames
 */
export function subjectBootstrap(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  subjects: ArrayLike<string>,
  numLabels: number,
  opts: SubjectBootstrapOptions = {},
): SubjectBootstrapCi {
  const K = numLabels;
  const n = subjects.length;
  const { resamples = 1000, seed = 1, level = 0.95, threshold = 0.5 } = opts;
  if (!Number.isInteger(K) || K <= 0) throw new Error(`subjectBootstrap: numLabels must be a positive integer, got ${K}`);
  if (n === 0) throw new Error('subjectBootstrap: no frames');
  if (labels.length !== n * K || scores.length !== n * K) {
    throw new Error(`subjectBootstrap: ${n} frames x ${K} labels needs ${n * K} labels and scores, got ${labels.length} and ${scores.length}`);
  }
  if (!(level > 0 && level < 1)) throw new Error(`subjectBootstrap: level must be in (0, 1), got ${level}`);
  if (opts.tunedThresholds && opts.tunedThresholds.length !== K) throw new Error(`subjectBootstrap: ${opts.tunedThresholds.length} tuned thresholds for ${K} labels`);
  for (let j = 0; j < n * K; j++) {
    if (labels[j] !== 0 && labels[j] !== 1) throw new Error(`subjectBootstrap: labels[${Math.floor(j / K)}][${j % K}] = ${labels[j]} is not 0 or 1`);
    if (!Number.isFinite(scores[j])) throw new Error(`subjectBootstrap: scores[${Math.floor(j / K)}][${j % K}] = ${scores[j]} is not a finite number`);
  }
  const ids = [...new Set(Array.from(subjects))].sort();
  const S = ids.length;
  const index = new Map(ids.map((id, s) => [id, s]));
  const subjectOf = Int32Array.from(Array.from(subjects), (id) => index.get(id)!);
  const draws = opts.draws ?? seededDraws(S, resamples, seed);
  draws.forEach((d, r) => {
    if (d.length !== S || d.some((s) => !Number.isInteger(s) || s < 0 || s >= S)) throw new Error(`subjectBootstrap: draws[${r}] must hold ${S} subject indices in [0, ${S - 1}]`);
  });

  const at = countsBySubject(labels, scores, subjectOf, S, K, new Array<number>(K).fill(threshold));
  const tuned = opts.tunedThresholds ? countsBySubject(labels, scores, subjectOf, S, K, opts.tunedThresholds) : null;
  const sorted = Array.from({ length: K }, (_, k) => sortLabel(labels, scores, K, k, subjectOf));
  const evaluate = (w: Float64Array) => ({
    f1: weightedMeanF1(at, w, K),
    tuned: tuned ? weightedMeanF1(tuned, w, K) : 0,
    ap: sorted.reduce((a, f) => a + weightedAp(f, w), 0) / K,
  });
  const point = evaluate(new Float64Array(S).fill(1));
  const values = draws.map((d) => {
    const w = new Float64Array(S);
    for (const s of d) w[s]++;
    return evaluate(w);
  });
  const interval = (estimate: number, xs: number[]): Interval => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { estimate, low: quantileSorted(sorted, (1 - level) / 2), high: quantileSorted(sorted, (1 + level) / 2) };
  };
  const ci: SubjectBootstrapCi = {
    method: 'subject bootstrap (percentile)',
    level,
    resamples: draws.length,
    seed,
    subjects: S,
    meanF1: interval(point.f1, values.map((v) => v.f1)),
    meanAp: interval(point.ap, values.map((v) => v.ap)),
  };
  if (tuned) ci.tunedMeanF1 = interval(point.tuned, values.map((v) => v.tuned));
  return ci;
}

/** `resamples` draws of S subject indices with replacement from a seeded stream. */
export function seededDraws(S: number, resamples: number, seed: number): number[][] {
  if (!Number.isInteger(resamples) || resamples < 1) throw new Error(`subjectBootstrap: resamples must be a positive integer, got ${resamples}`);
  const rng = new Rng(seed);
  return Array.from({ length: resamples }, () => Array.from({ length: S }, () => rng.int(0, S - 1)));
}
