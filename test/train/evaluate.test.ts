import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { allPositiveBaseline, evaluateScores } from '../../lib/train/evaluate';

// 6 frames x 2 AUs, row-major. Hand-derived expectations below.
const labels = [1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1];
const scores = [0.9, 0.2, 0.6, 0.1, 0.4, 0.7, 0.3, 0.8, 0.55, 0.3, 0.1, 0.2];

test('F1 at 0.5 is computed per AU from counts over all test frames', () => {
  const { metrics } = evaluateScores(labels, scores, ['AU01', 'AU12']);
  // AU01: labels [1,0,1,0,1,0], predicted [1,1,0,0,1,0] -> TP 2, FP 1, FN 1: P = R = F1 = 2/3
  assert.ok(Math.abs(metrics.perAu.AU01.f1 - 2 / 3) < 1e-12);
  assert.equal(metrics.perAu.AU01.support, 3);
  // AU12: labels [0,0,1,0,0,1], predicted [0,0,1,1,0,0] -> TP 1, FP 1, FN 1: F1 = 1/2
  assert.ok(Math.abs(metrics.perAu.AU12.f1 - 0.5) < 1e-12);
  assert.ok(Math.abs(metrics.meanF1 - (2 / 3 + 0.5) / 2) < 1e-12);
  assert.deepEqual(metrics.thresholds, { AU01: 0.5, AU12: 0.5 });
});

test('AP and the PR curve come from the raw scores (hand-computed AP)', () => {
  const { metrics, curves } = evaluateScores(labels, scores, ['AU01', 'AU12']);
  // AU01 ranked by score: 0.9(1) 0.6(0) 0.55(1) 0.4(1) 0.3(0) 0.1(0): AP = (1/3)*1 + (1/3)*(2/3) + (1/3)*(3/4)
  assert.ok(Math.abs(metrics.perAu.AU01.ap - (1 / 3 + 2 / 9 + 1 / 4)) < 1e-12);
  assert.equal(curves.AU01.precision.length, curves.AU01.thresholds.length + 1);
  assert.equal(curves.AU01.recall[curves.AU01.recall.length - 1], 0);
});

test('the all-positive baseline scores F1 = 2p/(1+p) per AU', () => {
  const b = allPositiveBaseline(labels, ['AU01', 'AU12']);
  // AU01 p = 1/2 -> 2/3; AU12 p = 1/3 -> 1/2
  assert.ok(Math.abs(b.perAu.AU01.f1 - 2 / 3) < 1e-12);
  assert.ok(Math.abs(b.perAu.AU12.f1 - 0.5) < 1e-12);
  assert.equal(b.perAu.AU12.recall, 1);
});

test('thresholds tuned on validation are applied to the test scores', () => {
  // validation where AU01 is positive exactly when score >= 0.35 -> tuned threshold in (0.3, 0.4]
  const vl = [1, 0, 0, 0, 1, 1];
  const vs = [0.4, 0.1, 0.3, 0.2, 0.9, 0.8];
  const { metrics } = evaluateScores(labels, scores, ['AU01', 'AU12'], { labels: vl, scores: vs });
  assert.ok(metrics.tuned);
  assert.ok(metrics.tuned.thresholds.AU01 > 0.3 && metrics.tuned.thresholds.AU01 <= 0.4);
  // at ~0.4 on test AU01: predicted [1,1,0,0,1,0]+[0.55->1,0.4->1]: scores 0.9,0.6,0.4,0.3,0.55,0.1 -> [1,1,1,0,1,0]: TP 3 FP 1 -> F1 6/7
  assert.ok(Math.abs(metrics.tuned.perAu.AU01.f1 - 6 / 7) < 1e-12);
});

test('thinCurve keeps at most maxPoints points, the first and the final (recall 0, precision 1) point', async () => {
  const { thinCurve } = await import('../../lib/train/evaluate');
  const n = 2501;
  const curve = {
    precision: Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0.5 + i / (4 * n))),
    recall: Array.from({ length: n }, (_, i) => 1 - i / (n - 1)),
    thresholds: Array.from({ length: n - 1 }, (_, i) => i / n),
  };
  const t = thinCurve(curve, 100);
  assert.ok(t.precision.length <= 100);
  assert.equal(t.thresholds.length, t.precision.length - 1);
  assert.equal(t.precision[0], curve.precision[0]);
  assert.equal(t.recall.at(-1), 0);
  assert.equal(t.precision.at(-1), 1);
  assert.equal(thinCurve(curve, n), curve);
});
