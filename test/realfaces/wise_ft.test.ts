import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chooseAlpha, devTargetAuc, isBackboneWeight, type WiseFtPoint } from '../../lib/realfaces/wise_ft';
import type { AuAgreement } from '../../lib/realfaces/reference';

const row = (au: string, auc: number | null): AuAgreement => ({ au, positives: 3, negatives: 7, auc, ci: null });
// dev AUCs of AU01, AU04, AU12 (target AUs) and AU06 (not a target AU: never counts)
const point = (alpha: number, valF1: number, dev: [number, number, number], au06 = 1): WiseFtPoint => ({
  endpoint: 'pretrained-backbone', alpha, interpolated: 1, val: { meanF1: valF1, perAu: {} },
  agreement: { dev: [row('AU01', dev[0]), row('AU02', null), row('AU04', dev[1]), row('AU06', au06), row('AU12', dev[2])], all: [], test: [] },
});

test('devTargetAuc averages the dev AUCs of the target AUs that have both classes, ignoring AU06 and unscorable AU02', () => {
  assert.equal(devTargetAuc(point(0, 0.5, [0.25, 0.5, 0.75], 0)), 0.5);
});

test('chooseAlpha takes the best dev target AUC among alphas within maxValDrop of the fine-tuned validation F1', () => {
  const pts = [point(0, 0.40, [1, 1, 1]), point(0.5, 0.66, [0.5, 0.75, 1]), point(0.8, 0.69, [0.5, 0.5, 0.5]), point(1, 0.70, [0.25, 0.25, 0.25])];
  // alpha 0 has the best dev AUC but loses 0.30 of validation F1; alpha 0.5 loses 0.04 <= 0.05
  assert.equal(chooseAlpha(pts, { maxValDrop: 0.05 })!.alpha, 0.5);
  assert.equal(chooseAlpha(pts, { maxValDrop: 0.5 })!.alpha, 0);
  assert.equal(chooseAlpha(pts, { maxValDrop: 0 })!.alpha, 1);
});

test('chooseAlpha breaks ties toward the larger alpha and needs alpha 1 as its reference', () => {
  assert.equal(chooseAlpha([point(0.5, 0.7, [0.5, 0.5, 0.5]), point(1, 0.7, [0.5, 0.5, 0.5])], { maxValDrop: 0.05 })!.alpha, 1);
  assert.throws(() => chooseAlpha([point(0.5, 0.7, [0.5, 0.5, 0.5])], { maxValDrop: 0.05 }), /needs alpha 1/);
});

test('isBackboneWeight is false exactly for the head layers', () => {
  assert.equal(isBackboneWeight('conv_pw_13/kernel'), true);
  assert.equal(isBackboneWeight('conv1_bn/moving_mean'), true);
  assert.equal(isBackboneWeight('head_logits/bias'), false);
  assert.equal(isBackboneWeight('head_bn/moving_variance'), false);
});
