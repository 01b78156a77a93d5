import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { readJson } from '../../lib/util/fs';
import { averagePrecision, f1Report } from '../../lib/metrics';
import { quantileSorted, seededDraws, subjectBootstrap } from '../../lib/metrics/bootstrap';
import { intervalSide, pairedDifference } from '../../lib/metrics/paired';
import { studentTCdf, studentTQuantile } from '../../lib/metrics/student_t';

// Reference outputs: numpy + scipy (scripts/fixtures/stats.py; versions recorded in the file).
interface Iv { estimate: number; low: number; high: number }
const FIXTURE = readJson<{
  bootstrap: {
    subjects: string[]; labels: number[][]; scores: number[][]; tunedThresholds: number[]; draws: number[][];
    values: { meanF1: number[]; tunedMeanF1: number[]; meanAp: number[] }; ci: { meanF1: Iv; tunedMeanF1: Iv; meanAp: Iv };
  };
  paired: { name: string; a: number[]; b: number[]; mean: number; sd: number; low: number; high: number }[];
  studentT: { ppf: { df: number; p: number; ppf: number }[]; cdf: { df: number; t: number; cdf: number }[] };
}>(path.join(__dirname, '..', 'fixtures', 'metrics', 'stats.json'));

const close = (got: number, want: number, what: string, tol = 1e-12) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got}, reference ${want}`);
const B = FIXTURE.bootstrap;
const K = B.labels[0].length;
const flat = (m: number[][]) => m.flat();

test('subject bootstrap intervals equal numpy on the same subject draws', () => {
  const ci = subjectBootstrap(flat(B.labels), flat(B.scores), B.subjects, K, { draws: B.draws, tunedThresholds: B.tunedThresholds });
  assert.equal(ci.subjects, 6);
  assert.equal(ci.resamples, 400);
  for (const key of ['meanF1', 'tunedMeanF1', 'meanAp'] as const) {
    const got = ci[key]!;
    close(got.estimate, B.ci[key].estimate, `${key}.estimate`);
    close(got.low, B.ci[key].low, `${key}.low`);
    close(got.high, B.ci[key].high, `${key}.high`);
  }
});

test('every resample recomputes the metrics from the pooled frames of the drawn subjects, as numpy does', () => {
  // One resample at a time, so a wrong value is caught even where the percentiles would hide it.
  B.draws.forEach((d, r) => {
    const ci = subjectBootstrap(flat(B.labels), flat(B.scores), B.subjects, K, { draws: [d], tunedThresholds: B.tunedThresholds });
    close(ci.meanF1.low, B.values.meanF1[r], `resample ${r} meanF1`);
    close(ci.tunedMeanF1!.low, B.values.tunedMeanF1[r], `resample ${r} tunedMeanF1`);
    close(ci.meanAp.low, B.values.meanAp[r], `resample ${r} meanAp`);
  });
});

test('the bootstrap point estimates are the library metrics of the whole fold', () => {
  const ci = subjectBootstrap(flat(B.labels), flat(B.scores), B.subjects, K, { resamples: 10, tunedThresholds: B.tunedThresholds });
  close(ci.meanF1.estimate, f1Report(B.labels, B.scores).meanF1, 'meanF1');
  close(ci.tunedMeanF1!.estimate, f1Report(B.labels, B.scores, { threshold: B.tunedThresholds }).meanF1, 'tuned');
  const ap = [0, 1, 2].map((k) => averagePrecision(B.labels.map((r) => r[k]), B.scores.map((r) => r[k])));
  close(ci.meanAp.estimate, ap.reduce((a, b) => a + b, 0) / 3, 'meanAp');
});

test('the seeded bootstrap is deterministic and draws whole subjects', () => {
  const a = subjectBootstrap(flat(B.labels), flat(B.scores), B.subjects, K, { seed: 7, resamples: 200 });
  const b = subjectBootstrap(flat(B.labels), flat(B.scores), B.subjects, K, { seed: 7, resamples: 200 });
  assert.deepEqual(a, b);
  assert.ok(a.meanF1.low <= a.meanF1.estimate && a.meanF1.estimate <= a.meanF1.high);
  assert.equal(a.tunedMeanF1, undefined);
  const draws = seededDraws(6, 50, 7);
  assert.equal(draws.length, 50);
  assert.ok(draws.every((d) => d.length === 6 && d.every((s) => Number.isInteger(s) && s >= 0 && s < 6)));
  // A fold of one subject cannot vary: the interval is the point.
  const one = subjectBootstrap([1, 0, 1, 1], [0.9, 0.2, 0.4, 0.7], ['SN001', 'SN001'], 2, { resamples: 20 });
  assert.equal(one.meanF1.low, one.meanF1.high);
});

test('the subject bootstrap rejects inputs that do not line up, naming the problem', () => {
  assert.throws(() => subjectBootstrap([1, 0], [0.5], ['SN001'], 2), /needs 2 labels and scores, got 2 and 1/);
  assert.throws(() => subjectBootstrap([1, 2], [0.5, 0.5], ['SN001'], 2), /labels\[0\]\[1\] = 2 is not 0 or 1/);
  assert.throws(() => subjectBootstrap([1, 0], [0.5, NaN], ['SN001'], 2), /scores\[0\]\[1\] = NaN/);
  assert.throws(() => subjectBootstrap([1, 0], [0.5, 0.1], ['SN001'], 2, { draws: [[1]] }), /draws\[0\] must hold 1 subject indices/);
});

test('quantiles interpolate linearly as numpy.percentile', () => {
  // np.percentile([1, 2, 4, 8], [2.5, 50, 97.5]) = [1.075, 3.0, 7.7]
  close(quantileSorted([1, 2, 4, 8], 0.025), 1.075, 'p2.5');
  close(quantileSorted([1, 2, 4, 8], 0.5), 3, 'p50');
  close(quantileSorted([1, 2, 4, 8], 0.975), 7.7, 'p97.5');
});

test('student t quantiles and CDF equal scipy.stats.t', () => {
  for (const c of FIXTURE.studentT.ppf) close(studentTQuantile(c.p, c.df), c.ppf, `t.ppf(${c.p}, ${c.df})`, 1e-9);
  for (const c of FIXTURE.studentT.cdf) close(studentTCdf(c.t, c.df), c.cdf, `t.cdf(${c.t}, ${c.df})`, 1e-10);
  close(studentTQuantile(0.975, 2), 4.302652729749464, 't(0.975, 2)', 1e-9);
  close(studentTQuantile(0.025, 8), -2.306004135204166, 't(0.025, 8)', 1e-9);
});

test('paired differences carry the t interval scipy gives', () => {
  for (const c of FIXTURE.paired) {
    const d = pairedDifference(c.a, c.b);
    close(d.mean, c.mean, `${c.name} mean`);
    close(d.sd!, c.sd, `${c.name} sd`);
    close(d.low!, c.low, `${c.name} low`, 1e-9);
    close(d.high!, c.high, `${c.name} high`, 1e-9);
  }
  const byName = Object.fromEntries(FIXTURE.paired.map((c) => [c.name, intervalSide(pairedDifference(c.a, c.b))]));
  assert.deepEqual(byName, { n3: 'includes 0', n2: 'includes 0', n9: 'above', 'n5-negative': 'below' });
});

test('one pair gives a mean but no interval, and unpaired input is refused', () => {
  const d = pairedDifference([0.5], [0.3]);
  close(d.mean, 0.2, 'mean');
  assert.equal(d.low, null);
  assert.equal(intervalSide(d), 'includes 0');
  assert.throws(() => pairedDifference([1, 2], [1]), /2 values against 1/);
  assert.throws(() => pairedDifference([], []), /no pairs/);
});
