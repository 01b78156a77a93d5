/**
 * Paired comparisons of two conditions over replicate units: each unit is a (test fold, seed) pair, and each
 * condition has one run per unit, tested on the same frames. The claims are decided by the mean difference over
 * the units and its 95% t interval (lib/metrics pairedDifference, which says why a t interval).
 */
import { intervalSide, pairedDifference, type PairedDifference } from '../metrics/paired';
import type { ResultsFile } from '../results';

/** The three measures every comparison is judged by. */
export type ClaimMetric = 'f1' | 'tunedF1' | 'ap';
export const CLAIM_METRICS: { metric: ClaimMetric; label: string }[] = [
  { metric: 'f1', label: 'F1 at 0.5' },
  { metric: 'tunedF1', label: 'F1 at validation-tuned thresholds' },
  { metric: 'ap', label: 'AP' },
];

export type Verdict = 'reproduced' | 'contradicted' | 'inconclusive';

/** One replicate unit of a run: 'fold 1, seed 1'. */
export function unitOf(r: ResultsFile): string {
  return `fold ${r.data.fold}, seed ${String(r.config.seed ?? '?')}`;
}

/**
 * A run's value of `metric`: the mean over AUs, or one AU's value; null when the file lacks it (tuned thresholds
 * are optional in the schema).
 */
export function metricOf(r: ResultsFile, metric: ClaimMetric, au?: string): number | null {
  if (metric === 'f1') return au ? (r.metrics.perAu[au]?.f1 ?? null) : r.metrics.meanF1;
  if (metric === 'ap') return au ? (r.metrics.perAu[au]?.ap ?? null) : r.metrics.meanAp;
  const t = r.metrics.tuned;
  if (!t) return null;
  return au ? (t.perAu[au]?.f1 ?? null) : t.meanF1;
}

/** The value of one condition's run (reads any part of a results file: the final model, metrics.stage1, ...). */
export type ValueOf = (r: ResultsFile) => number | null;

/** A paired comparison of A against B: the units both have, their values and the difference A - B. */
export interface RunComparison {
  units: string[];
  a: number[];
  b: number[];
  diff: PairedDifference;
  /** Units present in only one condition, or with a value missing (left out of the difference). */
  unpaired: string[];
}

/** Indexes runs by unit; two runs of one unit in one condition is a gathering error and throws. */
function byUnit(runs: ResultsFile[], what: string): Map<string, ResultsFile> {
  const m = new Map<string, ResultsFile>();
  for (const r of runs) {
    const u = unitOf(r);
    const other = m.get(u);
    if (other) throw new Error(`${what}: two runs of ${u} (${other.meta.runId}, ${r.meta.runId}); a comparison needs one run per fold and seed`);
    m.set(u, r);
  }
  return m;
}

/**
 * Pairs runs of condition A with runs of condition B by unit (fold, seed) and takes the paired difference of
 * `valueA(run) - valueB(run)`; null when no unit has both values. Units are sorted (fold, then seed).
 */
export function compareRuns(
  aRuns: ResultsFile[],
  bRuns: ResultsFile[],
  valueA: ValueOf,
  valueB: ValueOf = valueA,
  what = 'compareRuns',
): RunComparison | null {
  const ma = byUnit(aRuns, what);
  const mb = byUnit(bRuns, what);
  const all = [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
  const out = { units: [] as string[], a: [] as number[], b: [] as number[], unpaired: [] as string[] };
  for (const u of all) {
    const ra = ma.get(u);
    const rb = mb.get(u);
    const va = ra ? valueA(ra) : null;
    const vb = rb ? valueB(rb) : null;
    if (va === null || vb === null) {
      out.unpaired.push(u);
      continue;
    }
    out.units.push(u);
    out.a.push(va);
    out.b.push(vb);
  }
  if (out.units.length === 0) return null;
  return { ...out, diff: pairedDifference(out.a, out.b) };
}

/** reproduced when the interval lies on the paper's side of 0, contradicted on the other, inconclusive otherwise. */
export function verdictOf(diff: PairedDifference, paperSign: 1 | -1 = 1): Verdict {
  const side = intervalSide(diff);
  if (side === 'includes 0') return 'inconclusive';
  return (side === 'above') === (paperSign === 1) ? 'reproduced' : 'contradicted';
}

const signed = (x: number) => `${x >= 0 ? '+' : '-'}${Math.abs(x).toFixed(1)}`;

/** A difference of fractions in points x100 with its interval: '+8.1 [+3.2, +12.9]' ('+8.1 [1 pair, no interval]'). */
export function formatDifference(d: PairedDifference): string {
  if (d.low === null || d.high === null) return `${signed(100 * d.mean)} [${d.n} pair, no interval]`;
  return `${signed(100 * d.mean)} [${signed(100 * d.low)}, ${signed(100 * d.high)}]`;
}

/** 'folds 1+2+3 x seed 1' style summary of the units of a comparison. */
export function unitsText(units: string[]): string {
  const folds = [...new Set(units.map((u) => u.match(/fold (\S+),/)?.[1]))].join('+');
  const seeds = [...new Set(units.map((u) => u.match(/seed (\S+)$/)?.[1]))].join('+');
  return `${units.length} fold x seed pair${units.length === 1 ? '' : 's'} (fold ${folds}; seed ${seeds})`;
}
