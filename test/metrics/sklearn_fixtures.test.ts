import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { readJson } from '../../lib/util/fs';
import {
  averagePrecision,
  bestThresholds,
  ConfusionAccumulator,
  confusionCounts,
  evaluateMultilabel,
  f1Report,
  precisionRecallCurve,
} from '../../lib/metrics';

// Reference outputs: Debian bookworm's scikit-learn (scripts/fixtures/metrics.py; version recorded in the file).
interface CurveCase { name: string; labels: number[]; scores: number[]; precision: number[]; recall: number[]; thresholds: number[]; ap: number }
interface MultiCase {
  name: string; labels: number[][]; scores: number[][]; threshold: number[];
  precision: number[]; recall: number[]; f1: number[]; support: number[]; meanF1: number;
  tp: number[]; fp: number[]; fn: number[]; tn: number[]; apPerLabel: number[];
  best: { thresholds: number[]; f1: number[]; fallback: boolean[] };
}
const FIXTURE = readJson<{ sklearn: string; curves: CurveCase[]; multilabel: MultiCase[] }>(
  path.join(__dirname, '..', 'fixtures', 'metrics', 'metrics.json'),
);

/** Same length and every element identical (0 and -0 count as equal). */
function sameArray(got: number[], want: number[], what: string): void {
  assert.equal(got.length, want.length, `${what}: length ${got.length}, sklearn ${want.length}`);
  got.forEach((v, i) => assert.ok(v === want[i], `${what}[${i}] = ${v}, sklearn ${want[i]}`));
}
function close(got: number, want: number, tol: number, what: string): void {
  assert.ok(Math.abs(got - want) <= tol, `${what} = ${got}, sklearn ${want}`);
}

test('fixture was made with scikit-learn 1.2.x', () => {
  assert.match(FIXTURE.sklearn, /^1\.2\./);
});

test('precisionRecallCurve returns exactly sklearn 1.2 precision_recall_curve, ties and no-positive case included', () => {
  assert.ok(FIXTURE.curves.length >= 8);
  for (const c of FIXTURE.curves) {
    const got = precisionRecallCurve(c.labels, c.scores);
    sameArray(got.precision, c.precision, `${c.name}: precision`);
    sameArray(got.recall, c.recall, `${c.name}: recall`);
    sameArray(got.thresholds, c.thresholds, `${c.name}: thresholds`);
  }
});

test('precisionRecallCurve keeps thresholds beyond full recall, as sklearn 1.2.1 does (sklearn docstring example)', () => {
  const got = precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.deepEqual(got.thresholds, [0.1, 0.35, 0.4, 0.8]);
  assert.deepEqual(got.recall, [1, 1, 0.5, 0.5, 0]);
});

test('averagePrecision equals sklearn average_precision_score (to 1e-12; sklearn sums pairwise)', () => {
  for (const c of FIXTURE.curves) close(averagePrecision(c.labels, c.scores), c.ap, 1e-12, `${c.name}: AP`);
  for (const m of FIXTURE.multilabel) {
    m.apPerLabel.forEach((ap, k) => close(averagePrecision(m.labels.map((r) => r[k]), m.scores.map((r) => r[k])), ap, 1e-12, `${m.name}: AP[${k}]`));
  }
});

test('f1Report equals sklearn precision_recall_fscore_support(zero_division=0) and macro f1_score', () => {
  for (const m of FIXTURE.multilabel) {
    const names = m.threshold.map((_, k) => `L${k}`);
    const got = f1Report(m.labels, m.scores, { threshold: m.threshold, names });
    got.perLabel.forEach((r, k) => {
      assert.equal(r.name, `L${k}`);
      close(r.precision, m.precision[k], 1e-15, `${m.name}: precision[${k}]`);
      close(r.recall, m.recall[k], 1e-15, `${m.name}: recall[${k}]`);
      close(r.f1, m.f1[k], 1e-15, `${m.name}: f1[${k}]`);
      assert.equal(r.support, m.support[k], `${m.name}: support[${k}]`);
    });
    close(got.meanF1, m.meanF1, 1e-12, `${m.name}: meanF1`);
  }
});

test('f1 is 0 not NaN when a label never occurs, predicted or not (fixture labels 3 and 4)', () => {
  const m = FIXTURE.multilabel[0];
  assert.equal(m.support[3], 0);
  assert.equal(m.support[4], 0);
  assert.equal(m.fp[3], 0); // never predicted
  assert.equal(m.fp[4], 1); // predicted once, at a score exactly equal to the threshold
  const got = f1Report(m.labels, m.scores);
  for (const k of [3, 4]) {
    assert.equal(got.perLabel[k].f1, 0);
    assert.equal(got.perLabel[k].precision, 0);
    assert.equal(got.perLabel[k].recall, 0);
  }
  assert.ok(!Number.isNaN(got.meanF1));
});

test('confusion counts accumulated over uneven batches, rows or flat arrays, equal sklearn multilabel_confusion_matrix', () => {
  for (const m of FIXTURE.multilabel) {
    const k = m.threshold.length;
    const acc = new ConfusionAccumulator(k, { threshold: m.threshold });
    const cuts = [0, 3, 4, 17, m.labels.length];
    for (let b = 0; b + 1 < cuts.length; b++) {
      const ys = m.labels.slice(cuts[b], cuts[b + 1]);
      const ss = m.scores.slice(cuts[b], cuts[b + 1]);
      if (b % 2 === 0) acc.update(ys, ss);
      else acc.update(Float32Array.from(ys.flat()), Float64Array.from(ss.flat()));
    }
    assert.equal(acc.samples, m.labels.length);
    assert.deepEqual(acc.counts(), { tp: m.tp, fp: m.fp, fn: m.fn, tn: m.tn }, m.name);
    assert.deepEqual(confusionCounts(m.labels, m.scores, { threshold: m.threshold }), { tp: m.tp, fp: m.fp, fn: m.fn, tn: m.tn });
  }
});

test('bestThresholds picks the lowest PR-curve threshold of maximal F1 (t[argmax f1]), 0.5 for a label with no positive', () => {
  for (const m of FIXTURE.multilabel) {
    const got = bestThresholds(m.labels, m.scores);
    assert.deepEqual(got.fallback, m.best.fallback, m.name);
    sameArray(got.thresholds, m.best.thresholds, `${m.name}: thresholds`);
    sameArray(got.f1, m.best.f1, `${m.name}: f1`);
    // the chosen thresholds reproduce their F1 through f1Report
    const report = f1Report(m.labels, m.scores, { threshold: got.thresholds });
    report.perLabel.forEach((r, k) => close(r.f1, got.f1[k], 1e-15, `${m.name}: f1Report at best threshold [${k}]`));
  }
});

test('evaluateMultilabel gives the results-schema metrics: sklearn per-label scores, AP and curves by name', () => {
  const m = FIXTURE.multilabel[0];
  const names = m.threshold.map((_, k) => `AU${String(k + 1).padStart(2, '0')}`);
  const got = evaluateMultilabel(m.labels, m.scores, { names, threshold: m.threshold });
  assert.deepEqual(Object.keys(got.perAu), names);
  names.forEach((name, k) => {
    const r = got.perAu[name];
    close(r.f1, m.f1[k], 1e-15, `${name}: f1`);
    close(r.ap, m.apPerLabel[k], 1e-12, `${name}: ap`);
    assert.equal(r.support, m.support[k]);
    assert.equal(got.curves[name].precision.length, got.curves[name].thresholds.length + 1);
  });
  close(got.meanF1, m.meanF1, 1e-12, 'meanF1');
  assert.deepEqual(got.thresholds, m.threshold);
});
