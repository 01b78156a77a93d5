/**
 * What a checked claim is, and the one way a claim becomes rows: one row per measure (F1 at 0.5, F1 at
 * validation-tuned thresholds, AP), each decided by a paired difference over fold x seed units.
 */
import type { BaselinesManifest } from '../metrics/baselines';
import type { ThroughputRow } from '../plots';
import type { ResultsFile } from '../results';
import { CLAIM_METRICS, formatDifference, unitsText, verdictOf, type ClaimMetric, type RunComparison, type Verdict } from './paired_runs';

export type ClaimStatus = Verdict | 'untestable without DISFA' | 'not run';

export interface ClaimCheck {
  id: string;
  /** The claim, paraphrased, with where the paper makes it. */
  claim: string;
  where: string;
  /** What this row judges the claim by: a measure ('F1 at 0.5', ...) or a fact ('parameter counts'). */
  judgedBy: string;
  /** The measure, for rows decided by a paired comparison. */
  metric?: ClaimMetric;
  status: ClaimStatus;
  /** The mean difference in points and its 95% interval ('+8.1 [+3.2, +12.9]'); '' when the row has none. */
  difference: string;
  /** The numbers behind the verdict. */
  evidence: string;
}

export interface ClaimInputs {
  lossComparison: ResultsFile[];
  backboneSurvey: ResultsFile[];
  transferStages: ResultsFile[];
  /** Runs that differ in initialisation only: pretrained (config.weights set) and random (config.weights null). */
  initialisation?: ResultsFile[];
  throughput?: { backend: string; rows: (ThroughputRow & { backbone?: string })[] } | null;
  baselines?: BaselinesManifest;
}

/** The claim's identity, shared by its rows. */
export type ClaimBase = Pick<ClaimCheck, 'id' | 'claim' | 'where'>;

/** Points x100 with one decimal: 0.375 -> '37.5'. */
export const pts = (x: number) => (100 * x).toFixed(1);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * 'L_pr 37.5 vs L_bce 30.0, mean over 3 fold x seed pairs (fold 1+2+3; seed 1); per pair +7.5, +8.0, +7.0'.
 * Units present on one side only are named.
 */
export function comparisonText(c: RunComparison, aName: string, bName: string): string {
  const per = c.diff.differences.map((d) => `${d >= 0 ? '+' : '-'}${Math.abs(100 * d).toFixed(1)}`).join(', ');
  const left = c.unpaired.length ? `; left out (one side only): ${c.unpaired.join('; ')}` : '';
  return `${aName} ${pts(mean(c.a))} vs ${bName} ${pts(mean(c.b))}, mean over ${unitsText(c.units)}; per pair ${per}${left}`;
}

/**
 * One row per measure for a claim that A beats B (paperSign 1) or loses to it (-1). `compare(metric)` gives the
 * paired comparison, or a string saying why there is none ('needs the bce and pr runs'); `describe` the evidence.
 */
export function rowsByMetric(
  base: ClaimBase,
  compare: (metric: ClaimMetric) => RunComparison | string,
  describe: (c: RunComparison, metric: ClaimMetric) => string,
  paperSign: 1 | -1 = 1,
): ClaimCheck[] {
  return CLAIM_METRICS.map(({ metric, label }) => {
    const c = compare(metric);
    if (typeof c === 'string') return { ...base, judgedBy: label, metric, status: 'not run', difference: '', evidence: c };
    const one = c.diff.low === null ? ' One pair gives no interval: run more folds or seeds.' : '';
    return { ...base, judgedBy: label, metric, status: verdictOf(c.diff, paperSign), difference: formatDifference(c.diff), evidence: describe(c, metric) + one };
  });
}

/** Combines verdicts that must all hold: contradicted if any is, reproduced if all are, else inconclusive. */
export function allOf(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('contradicted')) return 'contradicted';
  return verdicts.length > 0 && verdicts.every((v) => v === 'reproduced') ? 'reproduced' : 'inconclusive';
}
