import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averagePrecision, bestThresholds, ConfusionAccumulator, f1FromCounts, f1Report, precisionRecallCurve } from '../../lib/metrics';

test('score equal to the threshold counts as positive', () => {
  const r = f1Report([[1], [0]], [[0.5], [0.49999]]);
  assert.deepEqual(r.perLabel[0], { name: '0', precision: 1, recall: 1, f1: 1, support: 1 });
});

test('f1FromCounts by hand: TP 3, FP 1, FN 2 gives P 3/4, R 3/5, F1 2/3', () => {
  const r = f1FromCounts({ tp: [3, 0], fp: [1, 0], fn: [2, 0], tn: [10, 16] }, ['AU01', 'AU02']);
  assert.equal(r.perLabel[0].precision, 0.75);
  assert.equal(r.perLabel[0].recall, 0.6);
  assert.ok(Math.abs(r.perLabel[0].f1 - 2 / 3) < 1e-15);
  assert.deepEqual(r.perLabel[1], { name: 'AU02', precision: 0, recall: 0, f1: 0, support: 0 });
  assert.ok(Math.abs(r.meanF1 - 1 / 3) < 1e-15);
});

test('per-label thresholds apply column by column (0 for logits, 0.5 for probabilities)', () => {
  const r = f1Report([[1, 1]], [[0.1, 0.1]], { threshold: [0, 0.5] });
  assert.equal(r.perLabel[0].f1, 1);
  assert.equal(r.perLabel[1].f1, 0);
});

test('metrics reject bad input with the offending index', () => {
  assert.throws(() => precisionRecallCurve([0, 2], [0.1, 0.2]), /labels\[1\] = 2 is not 0 or 1/);
  assert.throws(() => averagePrecision([0, 1], [0.1, NaN]), /scores\[1\] = NaN/);
  assert.throws(() => precisionRecallCurve([0, 1], [0.1]), /2 labels but 1 scores/);
  assert.throws(() => f1Report([[1, 0], [1]], [[1, 0], [1, 0]]), /labels row 1 has 1 values, expected 2/);
  assert.throws(() => f1Report([[1, 0]], [[1, 0]], { threshold: [0.5] }), /1 thresholds for 2 labels/);
  assert.throws(() => new ConfusionAccumulator(2).update([1, 0, 1], [0, 0, 0]), /not a multiple of numLabels = 2/);
  assert.throws(() => bestThresholds([[1], [0]], [[0.3]]), /2 label rows but 1 score rows/);
  assert.throws(() => f1Report([], []), /f1Report: no rows/);
});

test('a rejected batch leaves accumulated counts untouched; reset clears them', () => {
  const acc = new ConfusionAccumulator(2).update([[1, 0]], [[0.9, 0.9]]);
  assert.throws(() => acc.update([[1, 0], [3, 0]], [[0.9, 0.9], [0.9, 0.9]]), /labels\[1\]\[0\] = 3/);
  assert.deepEqual(acc.counts(), { tp: [1, 0], fp: [0, 1], fn: [0, 0], tn: [0, 0] });
  acc.reset();
  assert.deepEqual(acc.counts(), { tp: [0, 0], fp: [0, 0], fn: [0, 0], tn: [0, 0] });
  assert.equal(acc.samples, 0);
});
