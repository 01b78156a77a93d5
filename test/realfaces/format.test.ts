import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { targetVerdict } from '../../lib/realfaces/format';
import type { AuAgreement } from '../../lib/realfaces/reference';

const row = (au: string, auc: number | null): AuAgreement => ({ au, positives: auc === null ? 0 : 3, negatives: 10, auc, ci: auc === null ? null : { low: 0, high: 1, level: 0.95, resamples: 1000 } } as AuAgreement);

test('targetVerdict says the real-faces target is not met when a scorable target AU is below 0.80, and names the unscorable ones', () => {
  const v = targetVerdict([row('AU01', 0.36), row('AU02', null), row('AU04', 0.84), row('AU06', 0.2), row('AU12', 0.6), row('AU25', null), row('AU26', null)]);
  assert.match(v, /is not met \(2 of 3 scorable below it: AU01 0\.36, AU04 0\.84, AU12 0\.60\)/);
  assert.match(v, /AU02, AU25, AU26 have one class only/);
  assert.doesNotMatch(v, /AU06/); // not a target AU
});

test('targetVerdict says it is met only when every scorable target AU reaches 0.80', () => {
  assert.match(targetVerdict([row('AU01', 0.8), row('AU12', 0.95)]), /is met \(AU01 0\.80, AU12 0\.95\)/);
  assert.match(targetVerdict([row('AU02', null)]), /cannot be judged/);
});
