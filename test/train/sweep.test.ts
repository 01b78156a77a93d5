import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { expandSweep, parseShard, selectShard } from '../../lib/train/sweep';
import { PRESETS } from '../../lib/train/presets';
import { runId } from '../../lib/train/run_id';

test('a sweep of one backbone, three losses and three folds has 9 runs with distinct ids', () => {
  const runs = expandSweep(PRESETS.quick, { losses: ['bce', 'lsep', 'pr'], folds: [1, 2, 3] });
  assert.equal(runs.length, 9);
  assert.equal(new Set(runs.map(runId)).size, 9);
  assert.deepEqual(runs.slice(0, 3).map((r) => [r.loss, r.fold]), [['bce', 1], ['bce', 2], ['bce', 3]]);
});

test('seeds are a sweep axis: each setting runs once per seed, folds innermost', () => {
  const runs = expandSweep(PRESETS.quick, { losses: ['bce', 'pr'], seeds: [1, 2, 3], folds: [1, 2] });
  assert.equal(runs.length, 12);
  assert.equal(new Set(runs.map(runId)).size, 12);
  assert.deepEqual(runs.slice(0, 4).map((r) => [r.loss, r.seed, r.fold]), [['bce', 1, 1], ['bce', 1, 2], ['bce', 2, 1], ['bce', 2, 2]]);
});

test('shards partition the sweep: every run in exactly one shard, sizes within one', () => {
  const runs = expandSweep(PRESETS.quick, { losses: ['bce', 'lsep', 'pr'], folds: [1, 2, 3] }).map(runId);
  const shards = [0, 1, 2, 3].map((i) => selectShard(runs, { index: i, count: 4 }));
  assert.deepEqual(shards.map((s) => s.length), [3, 2, 2, 2]);
  assert.deepEqual(shards.flat().sort(), [...runs].sort());
});

test('parseShard accepts 0-based i/n and rejects the rest naming the input', () => {
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  assert.throws(() => parseShard('4/4'), /i must be in \[0, n-1\].*'4\/4'/);
  assert.throws(() => parseShard('1-4'), /must look like i\/n.*'1-4'/);
  assert.throws(() => parseShard('0/0'), /n must be >= 1/);
});

test('expandSweep does not share nested objects between runs', () => {
  const runs = expandSweep(PRESETS.quick, { folds: [1, 2] });
  runs[0].stage1.epochs = 99;
  assert.notEqual(runs[1].stage1.epochs, 99);
  assert.notEqual(PRESETS.quick.stage1.epochs, 99);
});
