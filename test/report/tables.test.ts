import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { f1Frame, foldFrame, labelFrame, stagesFrame } from '../../lib/report';
import { frameRecords } from '../../lib/results';
import { loadBaselines } from '../../lib/metrics/baselines';
import { DISFA_FOLDS, PAPER_AUS, type DatasetStats } from '../../lib/data';
import { AUS, fakeRun } from './fixtures';

test('f1Frame: per-AU F1 in percent, published rows with their reported mean', () => {
  const run = fakeRun({ f1: AUS.map((_, i) => 0.1 * (i + 1) - 0.05) });
  const rows = frameRecords(f1Frame([{ label: 'bce', run }], loadBaselines()));
  assert.equal(rows[0].run, 'bce');
  assert.ok(Math.abs((rows[0].AU01 as number) - 5) < 1e-9); // 0.05 -> 5 %
  assert.ok(Math.abs((rows[0].AU26 as number) - 75) < 1e-9); // 0.75 -> 75 %
  assert.ok(Math.abs((rows[0].mean as number) - 40) < 1e-9); // mean of 5, 15, ..., 75
  const eac = rows.find((r) => String(r.run).startsWith('EAC-Net'));
  assert.equal(eac?.mean, 48.5); // EAC-Net's reported average, not the mean of its per-AU values
});

test('labelFrame and foldFrame count positives per AU and per test part', () => {
  const positives = Object.fromEntries(PAPER_AUS.map((au, i) => [au, i + 1]));
  const perSubject = Object.fromEntries(DISFA_FOLDS.flat().map((s) => [s, { frames: 10, positives }]));
  const stats = { frames: 270, subjects: DISFA_FOLDS.flat(), aus: [...PAPER_AUS], threshold: 2, positives, rate: {}, perSubject, intensityHistogram: {} } as unknown as DatasetStats;
  const labels = frameRecords(labelFrame(stats, 'synthetic'));
  assert.equal(labels[0].au, PAPER_AUS[0]);
  assert.equal(labels[1]['synthetic: frames'], 2);
  assert.ok(Math.abs((labels[1]['synthetic: %'] as number) - 200 / 270) < 1e-12);
  const folds = frameRecords(foldFrame(stats));
  assert.deepEqual(folds.map((f) => [f.fold, f.subjects, f.frames]), [[1, 9, 90], [2, 9, 90], [3, 9, 90]]);
  assert.equal(folds[0][PAPER_AUS[2]], 27); // 9 subjects x 3 positives
});

test('stagesFrame: epochs, mean seconds per epoch and validation F1 per stage', () => {
  const rows = frameRecords(stagesFrame(fakeRun({ f1: AUS.map(() => 0.2), stage1Seconds: 2, stage2Seconds: 30 }), { stage1: 10, stage2: 100 }));
  assert.deepEqual(rows.map((r) => [r.epochs, r.secondsPerEpoch, r.trainableParams]), [[2, 2, 10], [1, 30, 100]]);
  assert.ok(Math.abs((rows[1].lastValF1 as number) - 25) < 1e-9);
});
