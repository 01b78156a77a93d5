import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { learningRateAt } from '../../lib/train/lr_schedule';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('constant schedule returns the peak rate at every step', () => {
  for (const s of [0, 5, 99]) assert.equal(learningRateAt(1e-4, { schedule: 'constant', warmupFraction: 0 }, s, 100), 1e-4);
});

test('warmup-cosine rises linearly over the warm-up steps, then follows half a cosine', () => {
  const c = { schedule: 'warmup-cosine' as const, warmupFraction: 0.2 };
  // total 10 steps, w = 2: steps 0, 1 -> lr/2, lr; step 2 is the cosine's start (cos 0 = 1) -> lr
  close(learningRateAt(1, c, 0, 10), 0.5);
  close(learningRateAt(1, c, 1, 10), 1);
  close(learningRateAt(1, c, 2, 10), 1);
  // step 6: (1 + cos(pi * 4 / 8)) / 2 = 0.5 (hand-derived)
  close(learningRateAt(1, c, 6, 10), 0.5);
  // last step 9: (1 + cos(pi * 7 / 8)) / 2 = 0.0380602337443566
  close(learningRateAt(1, c, 9, 10), 0.0380602337443566);
});

test('warmup-cosine with no warm-up starts at the peak', () => {
  close(learningRateAt(3e-4, { schedule: 'warmup-cosine', warmupFraction: 0 }, 0, 50), 3e-4);
});

test('bad schedule arguments fail naming the value', () => {
  assert.throws(() => learningRateAt(1, { schedule: 'warmup-cosine', warmupFraction: 1 }, 0, 10), /warmupFraction must be in \[0, 1\), got 1/);
  assert.throws(() => learningRateAt(1, { schedule: 'constant', warmupFraction: 0 }, 0, 0), /totalSteps must be a positive integer, got 0/);
  assert.throws(() => learningRateAt(1, { schedule: 'step' as never, warmupFraction: 0 }, 0, 10), /'step' is not one of constant, warmup-cosine/);
});
