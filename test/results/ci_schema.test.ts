import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { subjectBootstrap } from '../../lib/metrics';
import { validateResults } from '../../lib/results';
import { fakeRun } from '../report/fixtures';

const sampleResults = () => fakeRun({ f1: [0.5, 0.25, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3] });

// Two AUs, four test frames of two subjects: what an evaluation would store as metrics.ci.
const ci = subjectBootstrap([1, 1, 0, 1, 1, 0, 1, 1], [0.9, 0.8, 0.3, 0.6, 0.7, 0.2, 0.4, 0.9], ['SN003', 'SN003', 'SN005', 'SN005'], 2, {
  resamples: 50,
  tunedThresholds: [0.5, 0.5],
});

test('a results file may carry the bootstrap intervals of subjectBootstrap as metrics.ci', () => {
  const r = sampleResults();
  r.metrics.ci = ci;
  assert.equal(validateResults(JSON.parse(JSON.stringify(r))).metrics.ci?.subjects, 2);
  delete r.metrics.ci;
  assert.equal(validateResults(r).metrics.ci, undefined); // optional: files written before it still read
});

test('a malformed metrics.ci is rejected with the field named', () => {
  const r = sampleResults();
  r.metrics.ci = { ...ci, meanF1: { estimate: 0.5, low: 0.6, high: 0.4 } };
  assert.throws(() => validateResults(r, 'f.json'), /f\.json: metrics\.ci\.meanF1: low 0\.6 above high 0\.4/);
  r.metrics.ci = { ...ci, meanAp: { estimate: 0.5, low: 0.4 } } as unknown as typeof ci;
  assert.throws(() => validateResults(r, 'f.json'), /metrics\.ci\.meanAp\.high: missing/);
});
