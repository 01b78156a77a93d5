/**
 * The paper's loss-function claims (MobileNet-v1, the loss comparison), each judged by F1 at 0.5, F1 at
 * validation-tuned thresholds and AP, by paired differences over fold x seed units.
 */
import type { ResultsFile } from '../results';
import { comparisonText, rowsByMetric, type ClaimBase, type ClaimCheck, type ClaimInputs } from './claim_check';
import { lossLabel } from './figure_set';
import { compareRuns, formatDifference, metricOf, verdictOf, CLAIM_METRICS, type ClaimMetric, type RunComparison } from './paired_runs';

const ofLoss = (runs: ResultsFile[], loss: string) => runs.filter((r) => r.config.loss === loss);

/** A vs B of the loss comparison on `metric` (mean over AUs, or one AU), or why it cannot be made. */
function lossPair(runs: ResultsFile[], a: string, b: string, metric: ClaimMetric, au?: string): RunComparison | string {
  const ra = ofLoss(runs, a);
  const rb = ofLoss(runs, b);
  if (ra.length === 0 || rb.length === 0) return `needs the ${a} and ${b} runs of the loss comparison`;
  const c = compareRuns(ra, rb, (r) => metricOf(r, metric, au), undefined, `loss comparison ${a} vs ${b}`);
  if (c) return c;
  return metric === 'tunedF1' ? 'no tuned thresholds (metrics.tuned) in these results files' : `no fold and seed on which both ${a} and ${b} ran`;
}

/** `a` beats `b` (mean over AUs), one row per measure. */
function lossBeats(inp: ClaimInputs, base: ClaimBase, a: string, b: string, note = ''): ClaimCheck[] {
  return rowsByMetric(
    base,
    (metric) => lossPair(inp.lossComparison, a, b, metric),
    (c) => comparisonText(c, lossLabel(a), lossLabel(b)) + (note || '.'),
  );
}

export function lossGainClaim(inp: ClaimInputs): ClaimCheck[] {
  const base = { id: 'pr-gain', claim: 'L_pr raises the mean F1 of MobileNet-v1 over L_bce by about 6 points.', where: 'Fig. 4, conclusion' };
  return lossBeats(inp, base, 'pr', 'bce', ' (the paper: about +6).');
}

export function lsepVsWeightedClaim(inp: ClaimInputs): ClaimCheck[] {
  const base = { id: 'lsep-vs-wbce', claim: 'LSEP gives better results than weighted binary cross-entropy.', where: 'Sec. "Development of a CNN model", LSEP' };
  return lossBeats(inp, base, 'lsep', 'bce-weighted');
}

/** The AU the paper says L_pr lowers slightly. */
const EXCEPTION_AU = 'AU25';

/**
 * "L_pr improves F1 for almost all AUs, slightly lowers AU25", per measure: per AU the paired difference L_pr -
 * L_bce. Reproduced when all but at most two AUs improve (interval above 0) and no AU other than AU25 falls
 * (interval below 0); contradicted when two or more AUs other than AU25 fall (one is tolerated as "almost");
 * inconclusive otherwise.
 */
export function perAuGainClaim(inp: ClaimInputs): ClaimCheck[] {
  const base = { id: 'pr-per-au', claim: 'L_pr improves F1 for almost all AUs, with a slight decrease only for AU25.', where: 'Fig. 4 text' };
  return CLAIM_METRICS.map(({ metric, label }) => {
    const row = { ...base, judgedBy: `${label}, per AU`, metric };
    const first = lossPair(inp.lossComparison, 'pr', 'bce', metric);
    if (typeof first === 'string') return { ...row, status: 'not run' as const, difference: '', evidence: first };
    const aus = Object.keys(ofLoss(inp.lossComparison, 'pr')[0].metrics.perAu);
    const per = aus.map((au) => {
      const c = lossPair(inp.lossComparison, 'pr', 'bce', metric, au) as RunComparison;
      return { au, diff: c.diff, verdict: verdictOf(c.diff) };
    });
    const up = per.filter((p) => p.verdict === 'reproduced').length;
    const downOther = per.filter((p) => p.verdict === 'contradicted' && p.au !== EXCEPTION_AU).length;
    const status = up >= aus.length - 2 && downOther === 0 ? 'reproduced' : downOther >= 2 ? 'contradicted' : 'inconclusive';
    const down = per.filter((p) => p.verdict === 'contradicted').length;
    return {
      ...row,
      status,
      difference: `${up} of ${aus.length} AUs up, ${down} down`,
      evidence: `L_pr - L_bce per AU over ${first.units.length} fold x seed pairs: ${per.map((p) => `${p.au} ${formatDifference(p.diff)}`).join(', ')}.`,
    };
  });
}

