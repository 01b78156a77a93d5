import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AU_COLUMNS, RUN_COLUMNS, danfo, foldSummaryFrame, frameCsv, frameRecords, loadResultsFrames, perAuFrame, perAuRows, runRows, runsFrame, writeResults,
  type ResultsFile,
} from '../../lib/results';
import { AUS, fakeRun } from '../report/fixtures';

/** Three runs: bce on folds 1 and 2, pr on fold 1; per-AU F1 chosen by hand. */
function sweep(): ResultsFile[] {
  const at = (r: ResultsFile, fold: number): ResultsFile => ({
    ...r,
    config: { ...r.config, fold },
    data: { ...r.data, fold },
    meta: { ...r.meta, runId: `${r.meta.runId.replace('fold1', `fold${fold}`)}` },
  });
  return [
    fakeRun({ loss: 'bce', f1: AUS.map((_, i) => 0.1 + 0.01 * i) }),
    at(fakeRun({ loss: 'bce', f1: AUS.map((_, i) => 0.3 + 0.01 * i) }), 2),
    fakeRun({ loss: 'pr', f1: AUS.map(() => 0.5) }),
  ];
}

test('the runs frame has one row per run with the results fields, in RUN_COLUMNS order', () => {
  const runs = sweep();
  const df = runsFrame(runs);
  assert.deepEqual(df.shape, [3, RUN_COLUMNS.length]);
  assert.deepEqual(df.columns, [...RUN_COLUMNS]);
  assert.deepEqual(Object.keys(runRows(runs)[0]), [...RUN_COLUMNS]);
  const rows = frameRecords(df);
  assert.deepEqual(rows.map((r) => [r.runId, r.loss, r.fold]), [
    ['quick-mobilenet_v1-bce-fold1-seed1', 'bce', 1],
    ['quick-mobilenet_v1-bce-fold2-seed1', 'bce', 2],
    ['quick-mobilenet_v1-pr-fold1-seed1', 'pr', 1],
  ]);
  // mean of 0.10 ... 0.17 is 0.135; the fixture's stage 1 has two epochs, stage 2 one; no weights = random init.
  assert.ok(Math.abs((rows[0].meanF1 as number) - 0.135) < 1e-12);
  assert.equal(rows[0].stage1Epochs, 2);
  assert.equal(rows[0].stage2Epochs, 1);
  assert.equal(rows[0].weights, 'random init');
  assert.equal(rows[0].synthetic, true);
});

test('the per-AU frame has one row per run x AU and groups and sorts like pandas', () => {
  const runs = sweep();
  const df = perAuFrame(runs);
  assert.deepEqual(df.shape, [3 * AUS.length, AU_COLUMNS.length]);
  assert.deepEqual(Object.keys(perAuRows(runs)[0]), [...AU_COLUMNS]);
  // Mean F1 per loss over the AU rows, by hand: bce = mean(0.10..0.17, 0.30..0.37) = 0.235, pr = 0.5.
  const byLoss = frameRecords(df.groupby(['loss']).col(['f1']).mean());
  assert.deepEqual(byLoss.map((r) => r.loss), ['bce', 'pr']);
  assert.ok(Math.abs((byLoss[0].f1_mean as number) - 0.235) < 1e-12);
  assert.ok(Math.abs((byLoss[1].f1_mean as number) - 0.5) < 1e-12);
  // Sorted by F1, highest first: pr's rows (0.5) come before bce's best (0.37).
  const sorted = frameRecords(df.sortValues('f1', { ascending: false }));
  assert.equal(sorted[0].loss, 'pr');
  assert.equal(sorted[AUS.length].f1, 0.37);
});

test('CSV export reads back through danfo readCSV (a path) with the same values', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-frames-'));
  try {
    const df = perAuFrame(sweep());
    const file = path.join(dir, 'per-au.csv');
    fs.writeFileSync(file, frameCsv(df));
    const back = await danfo().readCSV(file);
    assert.deepEqual(back.columns, [...AU_COLUMNS]);
    assert.deepEqual(frameRecords(back).map((r) => r.f1), frameRecords(df).map((r) => r.f1));
    assert.equal(frameCsv(df).split('\n')[0], AU_COLUMNS.join(','));
    // A field with commas or quotes is quoted (RFC 4180), and reads back whole.
    const summaryFile = path.join(dir, 'summary.csv');
    fs.writeFileSync(summaryFile, frameCsv(foldSummaryFrame(sweep())));
    const summary = await danfo().readCSV(summaryFile);
    assert.deepEqual(frameRecords(summary).map((r) => r.folds), ['1,2', 1]);
    const quoted = danfo().DataFrame;
    assert.equal(frameCsv(new quoted([['say "hi", then go', 1]], { columns: ['a', 'b'] })), 'a,b\n"say ""hi"", then go",1\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the fold summary frame averages per-AU F1 over folds, one row per setting; loadResultsFrames reads a folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-frames-'));
  try {
    const runs = sweep();
    const summary = frameRecords(foldSummaryFrame(runs));
    assert.deepEqual(summary.map((r) => [r.loss, r.folds]), [['bce', '1,2'], ['pr', '1']]);
    // AU01: (0.10 + 0.30) / 2 = 0.2; AU26 (i = 7): (0.17 + 0.37) / 2 = 0.27.
    assert.ok(Math.abs((summary[0].AU01 as number) - 0.2) < 1e-12);
    assert.ok(Math.abs((summary[0].AU26 as number) - 0.27) < 1e-12);
    runs.forEach((r) => writeResults(path.join(dir, 'loss-comparison', `${r.meta.runId}.json`), r));
    const loaded = loadResultsFrames(dir);
    assert.equal(loaded.runs.shape[0], 3);
    assert.equal(loaded.perAu.shape[0], 3 * AUS.length);
    assert.deepEqual(runsFrame([]).columns, [...RUN_COLUMNS]);
    assert.equal(runsFrame([]).shape[0], 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
