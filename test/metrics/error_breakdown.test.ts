import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { errorBreakdown, type ScoredFrame } from '../../lib/metrics/error_breakdown';

const f = (subject: string, intensity: number, score: number): ScoredFrame => ({ subject, intensity: { AU25: intensity }, score: { AU25: score } });

test('errorBreakdown: hand-counted rates per intensity, per subject, and where the errors are', () => {
  const frames = [
    // subject A: closed mouth scored open twice (FP at 0), intensity 1 scored open once (FP below the threshold)
    f('A', 0, 0.9), f('A', 0, 0.7), f('A', 0, 0.1), f('A', 1, 0.6), f('A', 1, 0.2),
    // subject B: intensity 2 missed (FN at the threshold), 4 missed (FN above), 3 found; score exactly 0.5 counts present
    f('B', 2, 0.4), f('B', 4, 0.49), f('B', 3, 0.5), f('B', 0, 0.0),
  ];
  const [b] = errorBreakdown(frames, ['AU25'], { presence: 2 });
  assert.equal(b.threshold, 0.5);
  assert.deepEqual(b.byIntensity, [
    { intensity: 0, frames: 4, scoredPresent: 2 },
    { intensity: 1, frames: 2, scoredPresent: 1 },
    { intensity: 2, frames: 1, scoredPresent: 0 },
    { intensity: 3, frames: 1, scoredPresent: 1 },
    { intensity: 4, frames: 1, scoredPresent: 0 },
  ]);
  assert.deepEqual(b.bySubject, [
    { subject: 'A', negatives: 5, falsePositives: 3, positives: 0, falseNegatives: 0 },
    { subject: 'B', negatives: 1, falsePositives: 0, positives: 3, falseNegatives: 2 },
  ]);
  assert.deepEqual(b.falsePositives, { total: 3, atIntensity0: 2, belowThreshold: 1 });
  assert.deepEqual(b.falseNegatives, { total: 2, atThreshold: 1, above: 1 });
});

test('errorBreakdown: per-AU thresholds move the counts; a frame without the AU is named', () => {
  const frames = [f('A', 0, 0.7), f('A', 3, 0.75)];
  const [b] = errorBreakdown(frames, ['AU25'], { presence: 2, thresholds: { AU25: 0.72 } });
  assert.deepEqual(b.falsePositives, { total: 0, atIntensity0: 0, belowThreshold: 0 });
  assert.equal(b.byIntensity[1].scoredPresent, 1);
  assert.throws(() => errorBreakdown(frames, ['AU26'], { presence: 2 }), /frame of A has no intensity for AU26/);
});
