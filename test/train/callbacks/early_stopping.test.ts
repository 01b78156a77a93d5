import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EarlyStopping } from '../../../lib/train/callbacks/early_stopping';

test('early stopping stops after `patience` epochs without improvement (Keras semantics)', () => {
  const es = new EarlyStopping(2);
  const losses = [1.0, 0.8, 0.85, 0.9, 0.7];
  const out = losses.map((l, i) => es.update(i + 1, l));
  assert.deepEqual(out.map((o) => o.improved), [true, true, false, false, true]);
  assert.deepEqual(out.map((o) => o.stop), [false, false, false, true, true]);
  assert.equal(es.state.best, 0.7); // update still tracks the best after a stop; the caller stops calling it
  assert.equal(es.state.bestEpoch, 5);
});

test('minDelta: a decrease smaller than minDelta is not an improvement', () => {
  const es = new EarlyStopping(1, 0.1);
  assert.equal(es.update(1, 1.0).improved, true);
  assert.deepEqual(es.update(2, 0.95), { improved: false, stop: true });
});

test('patience 0 never stops and NaN never improves', () => {
  const es = new EarlyStopping(0);
  es.update(1, 1);
  for (let e = 2; e < 10; e++) assert.equal(es.update(e, NaN).stop, false);
  assert.equal(es.state.best, 1);
});

test('a restored state continues identically', () => {
  const a = new EarlyStopping(3);
  a.update(1, 1);
  a.update(2, 2);
  const b = new EarlyStopping(3, 0, JSON.parse(JSON.stringify(a.state)));
  assert.deepEqual(b.update(3, 3), a.update(3, 3));
  assert.deepEqual(b.update(4, 3), a.update(4, 3));
  assert.deepEqual(b.state, a.state);
});

test("mode 'max' (a validation F1): higher is better, minDelta counts upwards", () => {
  const es = new EarlyStopping(2, 0.01, undefined, 'max');
  const f1 = [0.5, 0.6, 0.605, 0.58, 0.7];
  const out = f1.map((v, i) => es.update(i + 1, v));
  // 0.605 is not > 0.6 + 0.01; then two epochs without improvement stop; 0.7 improves
  assert.deepEqual(out.map((o) => o.improved), [true, true, false, false, true]);
  assert.deepEqual(out.map((o) => o.stop), [false, false, false, true, true]);
  assert.equal(es.state.best, 0.7);
  assert.equal(es.state.bestEpoch, 5);
});
