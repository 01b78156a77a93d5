import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FLOOR_NOTE, f1Table, runsTable } from '../../lib/report';
import { subjectBootstrap } from '../../lib/metrics';
import { fakeRun } from './fixtures';

// fakeRun's test fold: 50 frames, AU k (k = 0..7) present in k + 1 of them, so the all-positive F1 is
// 2p / (1 + p) with p = (k + 1) / 50: AU01 .0392, AU02 .0769, AU04 .1132, ..., AU26 .2759, mean .1619.
const flat = (x: number) => Array.from({ length: 8 }, () => x);

test('per-AU cells and means below the all-positive floor are marked, with the note under the table', () => {
  const md = f1Table([{ label: 'BCE', run: fakeRun({ f1: flat(0.1) }) }, { label: 'LSEP', run: fakeRun({ loss: 'lsep', f1: flat(0.5) }) }]);
  assert.match(md, /\| BCE \| 10\.0 \| 10\.0 \| 10\.0 † \| 10\.0 † \| 10\.0 † \| 10\.0 † \| 10\.0 † \| 10\.0 † \| 10\.0 † \|/);
  assert.match(md, /\| LSEP \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \| 50\.0 \|/);
  assert.ok(md.endsWith(`\n\n${FLOOR_NOTE}`));
  assert.ok(!f1Table([{ label: 'LSEP', run: fakeRun({ f1: flat(0.5) }) }]).includes(FLOOR_NOTE));
});

test('the runs table marks runs below the floor and shows the bootstrap intervals when the file has them', () => {
  const below = fakeRun({ f1: flat(0.1) });
  const above = fakeRun({ loss: 'pr', f1: flat(0.5) });
  above.metrics.ci = subjectBootstrap([1, 0, 1, 1], [0.9, 0.2, 0.4, 0.7], ['SN001', 'SN002'], 2, { resamples: 20, tunedThresholds: [0.5, 0.5] });
  above.metrics.ci.meanF1 = { estimate: 0.5, low: 0.412, high: 0.587 };
  const md = runsTable([below, above]);
  assert.match(md, /\| Mean F1 \[95% CI\] \| Tuned F1 \[95% CI\] \| Mean AP \[95% CI\] \| All-positive F1 \|/);
  assert.match(md, /\| 10\.0 † \| 10\.0 † \| 10\.0 \| 16\.2 \|/);
  assert.match(md, /\| 50\.0 \[41\.2, 58\.7\] \|/);
  assert.ok(md.endsWith(FLOOR_NOTE));
});
