import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readResults, ResultsFile, summarizeFolds, validateResults, writeResults } from '../../lib/results';

/** A small, hand-made valid results file for fold `fold` with per-AU F1s `f1`. */
export function sampleResults(fold: number, f1: [number, number], loss = 'pr'): ResultsFile {
  const au = (f: number) => ({ precision: f, recall: f, f1: f, ap: f, support: 3 });
  return {
    schemaVersion: 1,
    meta: { runId: `t-${loss}-fold${fold}`, date: '2026-01-01T00:00:00.000Z', gitCommit: null, command: 'test', backend: 'cpu',
      tfjsVersion: '4.22.0', host: 'h', elapsedS: 1, weights: null },
    config: { name: 't', backbone: 'mobilenet_v1', loss, fold },
    data: { dataset: 'disfa', root: '/x', synthetic: true, fold, trainSubjects: ['SN001'], valSubjects: ['SN002'], testSubjects: ['SN003'],
      counts: { trainFrames: 4, valFrames: 4, testFrames: 4, trainPositives: { AU01: 1, AU02: 2 }, valPositives: { AU01: 1, AU02: 2 },
        testPositives: { AU01: 3, AU02: 3 } } },
    history: { stage1: [{ epoch: 1, loss: 0.5, valLoss: 0.6, valMeanF1: 0.3, lr: 1e-3, seconds: 0.1 }], stage2: [] },
    metrics: {
      perAu: { AU01: au(f1[0]), AU02: au(f1[1]) }, meanF1: (f1[0] + f1[1]) / 2, meanAp: (f1[0] + f1[1]) / 2,
      thresholds: { AU01: 0.5, AU02: 0.5 },
      baseline: { allPositive: { perAu: { AU01: { precision: 0.75, recall: 1, f1: 6 / 7 }, AU02: { precision: 0.75, recall: 1, f1: 6 / 7 } }, meanF1: 6 / 7 } },
    },
    curves: { AU01: { precision: [0.75, 1], recall: [1, 0], thresholds: [0.2] }, AU02: { precision: [0.75, 1], recall: [1, 0], thresholds: [0.3] } },
  };
}

/** sampleResults as schema version 2: metrics.stage1 and no machine path. */
export function sampleResultsV2(fold: number, f1: [number, number], stage1F1: [number, number] = [0.2, 0.1]): ResultsFile {
  const r = sampleResults(fold, f1);
  const au = (f: number) => ({ precision: f, recall: f, f1: f, ap: f, support: 3 });
  r.schemaVersion = 2;
  r.data.root = 'embedded';
  r.metrics.stage1 = {
    perAu: { AU01: au(stage1F1[0]), AU02: au(stage1F1[1]) }, meanF1: (stage1F1[0] + stage1F1[1]) / 2, meanAp: (stage1F1[0] + stage1F1[1]) / 2,
    thresholds: { AU01: 0.5, AU02: 0.5 },
  };
  return r;
}

test('schema 2 files carry metrics.stage1 and round-trip; schema 1 files (no stage1, a path as root) still read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-results-'));
  const v2 = sampleResultsV2(1, [0.5, 0.25]);
  writeResults(path.join(dir, 'v2.json'), v2);
  assert.deepEqual(readResults(path.join(dir, 'v2.json')), v2);
  assert.equal(readResults(path.join(dir, 'v2.json')).metrics.stage1?.perAu.AU02.f1, 0.1);
  const v1 = sampleResults(1, [0.5, 0.25]);
  fs.writeFileSync(path.join(dir, 'v1.json'), JSON.stringify(v1));
  assert.deepEqual(readResults(path.join(dir, 'v1.json')), v1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('schema 2 requires metrics.stage1 for every AU and refuses machine paths', () => {
  const cases: [(r: ResultsFile) => void, RegExp][] = [
    [(r) => delete r.metrics.stage1, /metrics\.stage1: missing \(required from schema version 2\)/],
    [(r) => delete r.metrics.stage1!.perAu.AU02, /metrics\.stage1\.perAu\.AU02: missing/],
    [(r) => (r.metrics.stage1!.meanF1 = 2), /metrics\.stage1\.meanF1: must be in \[0, 1\], got 2/],
    [(r) => (r.data.root = '/home/me/DISFA'), /data\.root: must not be a machine path.*"\/home\/me\/DISFA"/],
    [(r) => (r.data.root = 'C:\\data\\DISFA'), /data\.root: must not be a machine path/],
    [(r) => (r.config.dataset = { root: '/data/DISFA' }), /config\.dataset\.root: must not be a machine path/],
    [(r) => (r.config.weights = '/w/mobilenet.h5'), /config\.weights: must not be a machine path/],
  ];
  for (const [mutate, re] of cases) {
    const r = sampleResultsV2(1, [0.5, 0.25]);
    mutate(r);
    assert.throws(() => validateResults(r, 'x.json'), re);
  }
  const ok = sampleResultsV2(1, [0.5, 0.25]);
  ok.data.root = 'path-sha256:0123456789abcdef';
  ok.config.dataset = { root: 'path-sha256:0123456789abcdef' };
  assert.doesNotThrow(() => validateResults(ok, 'x.json'));
});

test('a valid results file is written atomically and read back equal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-results-'));
  const file = path.join(dir, 'loss-comparison', 'r.json');
  const r = sampleResults(1, [0.5, 0.25]);
  writeResults(file, r);
  assert.deepEqual(readResults(file), r);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['r.json']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('readResults rejects files not matching the schema, naming the file and the field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-results-'));
  const file = path.join(dir, 'bad.json');
  const cases: [(r: ResultsFile) => void, RegExp][] = [
    [(r) => delete (r.meta as Partial<ResultsFile['meta']>).backend, /bad\.json: meta\.backend: missing/],
    [(r) => (r.metrics.perAu.AU01.f1 = 1.5), /bad\.json: metrics\.perAu\.AU01\.f1: must be in \[0, 1\], got 1\.5/],
    [(r) => (r.schemaVersion = 3), /bad\.json: schemaVersion: unsupported schema version 3 \(this code reads 1, 2\)/],
    [(r) => ((r as unknown as Record<string, unknown>).extra = 1), /bad\.json: extra: unknown field/],
    [(r) => (r.curves.AU01.thresholds = []), /bad\.json: curves\.AU01\.thresholds: length must be precision's minus 1/],
    [(r) => delete r.curves.AU02, /bad\.json: curves\.AU02: missing/],
    [(r) => (r.data.counts.testFrames = -1), /data\.counts\.testFrames: must be a count/],
    [(r) => (r.history.stage1[0].loss = null as unknown as number), /history\.stage1\[0\]\.loss: must be a finite number, got null/],
  ];
  for (const [mutate, re] of cases) {
    const r = sampleResults(1, [0.5, 0.25]);
    mutate(r);
    fs.writeFileSync(file, JSON.stringify(r));
    assert.throws(() => readResults(file), re);
    assert.throws(() => writeResults(path.join(dir, 'never.json'), r), /never\.json: /);
  }
  assert.ok(!fs.existsSync(path.join(dir, 'never.json')));
  fs.writeFileSync(file, '{');
  assert.throws(() => readResults(file), /bad\.json: invalid JSON/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('fold averaging takes per-AU F1 per fold, then the mean over folds (hand-computed)', () => {
  const runs = [sampleResults(2, [0.2, 0.4]), sampleResults(1, [0.6, 0.0]), sampleResults(3, [0.4, 0.8])];
  const [s] = summarizeFolds(runs);
  assert.deepEqual(s.folds, [1, 2, 3]);
  assert.deepEqual(s.perAu.AU01.f1PerFold, [0.6, 0.2, 0.4]);
  assert.ok(Math.abs(s.perAu.AU01.f1 - 0.4) < 1e-12);
  assert.ok(Math.abs(s.perAu.AU02.f1 - 0.4) < 1e-12);
  assert.ok(Math.abs(s.meanF1 - 0.4) < 1e-12);
  assert.ok(validateResults(runs[0]));
});

test('fold averaging keeps different losses apart and refuses two runs of the same fold', () => {
  const groups = summarizeFolds([sampleResults(1, [0.5, 0.5], 'pr'), sampleResults(1, [0.1, 0.1], 'bce')]);
  assert.deepEqual(groups.map((g) => [g.loss, g.meanF1]), [['pr', 0.5], ['bce', 0.1]]);
  assert.throws(() => summarizeFolds([sampleResults(1, [0.5, 0.5]), sampleResults(1, [0.2, 0.2])]), /two runs of fold 1/);
});
