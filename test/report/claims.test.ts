import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkClaims, claimsTable, compareRuns, formatDifference, metricOf, stage1MetricOf, type ClaimCheck, type ClaimInputs } from '../../lib/report';
import { loadBaselines } from '../../lib/metrics/baselines';
import { validateResults, type ResultsFile } from '../../lib/results';
import { AUS, fakeRun } from './fixtures';

/**
 * A results file of one unit (fold, seed) with per-AU F1 at 0.5, F1 at tuned thresholds and AP given as one value
 * for every AU (a number) or per AU (an array). Hand-picked numbers, not the output of any run.
 */
function unitRun(o: { loss?: string; backbone?: string; task?: string; weights?: string | null; fold: 1 | 2 | 3; seed?: number; f1: number | number[]; tuned?: number | number[]; ap?: number | number[] }): ResultsFile {
  const per = (v: number | number[]) => (typeof v === 'number' ? AUS.map(() => v) : v);
  const r = structuredClone(fakeRun({ loss: o.loss, backbone: o.backbone, task: o.task, f1: per(o.f1) }));
  const f1 = per(o.f1);
  const tuned = per(o.tuned ?? o.f1);
  const ap = per(o.ap ?? o.f1);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  AUS.forEach((au, i) => {
    r.metrics.perAu[au] = { ...r.metrics.perAu[au], f1: f1[i], ap: ap[i] };
    r.metrics.tuned!.perAu = { ...r.metrics.tuned!.perAu, [au]: { ...r.metrics.perAu[au], f1: tuned[i] } };
  });
  r.metrics.meanF1 = mean(f1);
  r.metrics.meanAp = mean(ap);
  r.metrics.tuned!.meanF1 = mean(tuned);
  r.config = { ...r.config, fold: o.fold, seed: o.seed ?? 1, ...(o.weights !== undefined ? { weights: o.weights } : {}) };
  r.data.fold = o.fold;
  r.meta.runId = `${r.meta.runId}-f${o.fold}-s${o.seed ?? 1}-${o.weights ?? 'w'}`;
  return validateResults(r, 'claims fixture');
}

const FOLDS = [1, 2, 3] as const;
const empty: ClaimInputs = { lossComparison: [], backboneSurvey: [], transferStages: [], throughput: null, baselines: loadBaselines() };
const rowsOf = (claims: ClaimCheck[], id: string) => Object.fromEntries(claims.filter((c) => c.id === id).map((c) => [c.metric ?? c.judgedBy, c]));

// L_pr against L_bce over folds 1-3 (seed 1), mean over AUs (every AU the same value):
//   F1 at 0.5  pr .40 .45 .50 vs bce .30 .34 .41: differences .10 .11 .09, mean .10, sd .01,
//              t_{2,.975} = 4.302653 -> .10 +- 4.302653 * .01 / sqrt(3) = [.0752, .1248]  -> reproduced
//   tuned F1   pr .50 .42 .47 vs bce .45 .45 .45: differences .05 -.03 .02, mean .0133, sd .0404 -> [-.0871, .1137] -> inconclusive
//   AP         pr .30 .32 .35 vs bce .40 .41 .46: differences -.10 -.09 -.11 -> [-.1248, -.0752] -> contradicted
// (scipy.stats.t.interval(0.95, 2, loc=mean, scale=sd / sqrt(3)) gives the same bounds.)
const lossRuns = [
  ...FOLDS.map((fold, i) => unitRun({ loss: 'pr', fold, f1: [0.4, 0.45, 0.5][i], tuned: [0.5, 0.42, 0.47][i], ap: [0.3, 0.32, 0.35][i] })),
  ...FOLDS.map((fold, i) => unitRun({ loss: 'bce', fold, f1: [0.3, 0.34, 0.41][i], tuned: 0.45, ap: [0.4, 0.41, 0.46][i] })),
];

test('a loss claim is reproduced on one measure, inconclusive on another and contradicted on the third', () => {
  const rows = rowsOf(checkClaims({ ...empty, lossComparison: lossRuns }), 'pr-gain');
  assert.equal(rows.f1.status, 'reproduced');
  assert.equal(rows.f1.difference, '+10.0 [+7.5, +12.5]');
  assert.match(rows.f1.evidence, /L_pr\) 45\.0 vs BCE 35\.0, mean over 3 fold x seed pairs \(fold 1\+2\+3; seed 1\); per pair \+10\.0, \+11\.0, \+9\.0 \(the paper: about \+6\)/);
  assert.equal(rows.tunedF1.status, 'inconclusive');
  assert.equal(rows.tunedF1.difference, '+1.3 [-8.7, +11.4]');
  assert.equal(rows.ap.status, 'contradicted');
  assert.equal(rows.ap.difference, '-10.0 [-12.5, -7.5]');
});

test('the paired interval of a comparison equals the hand-derived t interval', () => {
  const c = compareRuns(lossRuns.slice(0, 3), lossRuns.slice(3), (r) => metricOf(r, 'f1'))!;
  assert.deepEqual(c.units, ['fold 1, seed 1', 'fold 2, seed 1', 'fold 3, seed 1']);
  assert.ok(Math.abs(c.diff.low! - 0.07515862288249676) < 1e-9 && Math.abs(c.diff.high! - 0.12484137711750327) < 1e-9);
  assert.equal(formatDifference(c.diff), '+10.0 [+7.5, +12.5]');
});

test('runs pair by fold and seed; a unit on one side only is left out and named', () => {
  const extra = unitRun({ loss: 'pr', fold: 1, seed: 2, f1: 0.9 });
  const rows = rowsOf(checkClaims({ ...empty, lossComparison: [...lossRuns, extra] }), 'pr-gain');
  assert.equal(rows.f1.difference, '+10.0 [+7.5, +12.5]');
  assert.match(rows.f1.evidence, /left out \(one side only\): fold 1, seed 2/);
  // Two runs of one unit is a gathering error: the claim says so instead of taking the report down.
  const dup = checkClaims({ ...empty, lossComparison: [...lossRuns, lossRuns[0]] }).filter((c) => c.id === 'pr-gain');
  assert.equal(dup.length, 1);
  assert.equal(dup[0].status, 'not run');
  assert.match(dup[0].evidence, /could not be checked: loss comparison pr vs bce: two runs of fold 1, seed 1/);
});

test('one pair gives a difference but no interval, so the verdict is inconclusive', () => {
  const rows = rowsOf(checkClaims({ ...empty, lossComparison: [lossRuns[0], lossRuns[3]] }), 'pr-gain');
  assert.equal(rows.f1.status, 'inconclusive');
  assert.equal(rows.f1.difference, '+10.0 [1 pair, no interval]');
  assert.match(rows.f1.evidence, /One pair gives no interval/);
});

test('per-AU loss claim: reproduced when all but AU25 rise, contradicted when two other AUs fall', () => {
  // Differences per AU across folds: +.10 +.11 +.09 on every AU but AU25 (index 6), which falls by .10 .11 .09.
  const pr = (fold: 1 | 2 | 3, i: number) => AUS.map((au) => 0.5 + (au === 'AU25' ? -1 : 1) * [0.1, 0.11, 0.09][i]);
  const up = [...FOLDS.map((fold, i) => unitRun({ loss: 'pr', fold, f1: pr(fold, i) })), ...FOLDS.map((fold) => unitRun({ loss: 'bce', fold, f1: 0.5 }))];
  const rows = rowsOf(checkClaims({ ...empty, lossComparison: up }), 'pr-per-au');
  assert.equal(rows.f1.status, 'reproduced');
  assert.equal(rows.f1.difference, '7 of 8 AUs up, 1 down');
  assert.match(rows.f1.evidence, /AU01 \+10\.0 \[\+7\.5, \+12\.5\].*AU25 -10\.0 \[-12\.5, -7\.5\]/);
  // AU01 and AU02 fall too: contradicted.
  const down = (i: number) => AUS.map((au) => 0.5 + (['AU01', 'AU02', 'AU25'].includes(au) ? -1 : 1) * [0.1, 0.11, 0.09][i]);
  const worse = [...FOLDS.map((fold, i) => unitRun({ loss: 'pr', fold, f1: down(i) })), ...FOLDS.map((fold) => unitRun({ loss: 'bce', fold, f1: 0.5 }))];
  assert.equal(rowsOf(checkClaims({ ...empty, lossComparison: worse }), 'pr-per-au').f1.status, 'contradicted');
});

test('the transfer-stages claim compares stage 2 with the restored stage-1 model, and says when that is missing', () => {
  const runs = FOLDS.map((fold, i) => unitRun({ task: 'transfer-stages', loss: 'pr', fold, f1: [0.62, 0.7, 0.66][i] }));
  const none = rowsOf(checkClaims({ ...empty, transferStages: runs }), 'transfer-cost');
  assert.equal(none.f1.status, 'not run');
  assert.match(none.f1.evidence, /no stage-1 metrics \(metrics\.stage1\)/);
  // metrics.stage1 as lib/train records it (F1 only here): stage 2 - stage 1 = .22 .25 .25 -> +24.0 [+19.7, +28.3].
  const withStage1 = runs.map((r, i) => ({ ...r, metrics: { ...r.metrics, stage1: { meanF1: [0.4, 0.45, 0.41][i], perAu: {} } } }));
  assert.equal(stage1MetricOf(withStage1[0], 'f1'), 0.4);
  const rows = rowsOf(checkClaims({ ...empty, transferStages: withStage1 }), 'transfer-cost');
  assert.equal(rows.f1.status, 'reproduced');
  assert.equal(rows.f1.difference, '+24.0 [+19.7, +28.3]');
  assert.match(rows.f1.evidence, /stage 2 66\.0 vs stage 1 \(restored\) 42\.0.*Seconds per epoch: stage 1 1\.0 \(cached features\), stage 2 30\.0/);
  assert.equal(rows.ap.status, 'not run');
  assert.match(rows.ap.evidence, /no stage-1 AP in metrics\.stage1/);
});

test('pretrained against random initialisation pairs the two over folds x seeds', () => {
  // 3 folds x 2 seeds; pretrained .60 .62 .55 .58 .64 .61 vs random .30 .35 .28 .33 .31 .36: +27.8 [+24.6, +31.1] (t_{5}).
  const pre = [0.6, 0.62, 0.55, 0.58, 0.64, 0.61];
  const rnd = [0.3, 0.35, 0.28, 0.33, 0.31, 0.36];
  const units = FOLDS.flatMap((fold) => [1, 2].map((seed) => ({ fold, seed })));
  const runs = units.flatMap((u, i) => [
    unitRun({ task: 'initialisation', loss: 'pr', ...u, weights: 'embedded', f1: pre[i] }),
    unitRun({ task: 'initialisation', loss: 'pr', ...u, weights: null, f1: rnd[i] }),
  ]);
  const rows = rowsOf(checkClaims({ ...empty, initialisation: runs }), 'pretrained');
  assert.equal(rows.f1.status, 'reproduced');
  assert.equal(rows.f1.difference, '+27.8 [+24.6, +31.1]');
  assert.match(rows.f1.evidence, /6 fold x seed pairs \(fold 1\+2\+3; seed 1\+2\)/);
  assert.equal(rowsOf(checkClaims(empty), 'pretrained').f1.status, 'not run');
});

test('the backbone ranking needs all four paired differences above 0', () => {
  const survey = (f1: Record<string, number[]>) =>
    Object.entries(f1).flatMap(([backbone, vs]) => FOLDS.map((fold, i) => unitRun({ task: 'backbone-survey', backbone, loss: 'lsep', fold, f1: vs[i] })));
  const clear = survey({ mobilenet_v1: [0.5, 0.52, 0.55], densenet201: [0.48, 0.5, 0.54], mobilenet_v2: [0.3, 0.33, 0.31], densenet121: [0.2, 0.22, 0.25] });
  assert.equal(rowsOf(checkClaims({ ...empty, backboneSurvey: clear }), 'best-backbones').f1.status, 'reproduced');
  // MobileNet-v2 above DenseNet-201 on every fold by .10 .12 .08: mean -.10, sd .02, half-width 4.302653 * .02 / sqrt(3)
  // = .0497 -> [-.1497, -.0503]: contradicted.
  const flipped = survey({ mobilenet_v1: [0.5, 0.52, 0.55], densenet201: [0.2, 0.2, 0.25], mobilenet_v2: [0.3, 0.32, 0.33], densenet121: [0.1, 0.1, 0.1] });
  const row = rowsOf(checkClaims({ ...empty, backboneSurvey: flipped }), 'best-backbones').f1;
  assert.equal(row.status, 'contradicted');
  assert.equal(row.difference, '-10.0 [-15.0, -5.0] (weakest: DenseNet-201 - MobileNet-v2)');
});

test('the claims table writes one row per measure with the difference and its interval', () => {
  const md = claimsTable(checkClaims({ ...empty, lossComparison: lossRuns }));
  assert.match(md, /\| Claim \(paper\) \| Where \| Judged by \| Verdict \| Difference \[95% CI\] \| Evidence \|/);
  assert.match(md, /\| L_pr raises the mean F1 of MobileNet-v1 over L_bce by about 6 points\. \| Fig\. 4, conclusion \| F1 at 0\.5 \| \*\*reproduced\*\* \| \+10\.0 \[\+7\.5, \+12\.5\] \|/);
  assert.match(md, /\n\|  \|  \| AP \| \*\*contradicted\*\* \| -10\.0 \[-12\.5, -7\.5\] \|/);
});
