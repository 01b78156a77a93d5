import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { command } from '../../lib/commands/data';
import { checkDataset } from '../../lib/data/check';
import { loadDisfa } from '../../lib/data/disfa';
import { writeSyntheticDisfa } from '../../lib/data/synthetic';
import { tempDir } from './helpers';

test('fer-au data check accepts a synthetic set written by writeSyntheticDisfa (27 subjects x 3 frames, 64 px)', async () => {
  const out = path.join(tempDir(), 'synth');
  await writeSyntheticDisfa({ out, subjects: 27, frames: 3, size: 64, seed: 11, workers: 0 });
  const r = checkDataset('disfa', out);
  assert.deepEqual(r.problems, []);
  assert.equal(r.subjects.length, 27);
  assert.equal(r.aus.length, 12);
  assert.equal(r.frames, 27 * 3);
  assert.ok(r.subjects.every((s) => s.frames === 3 && s.images === 3));
  assert.deepEqual(r.folds.map((f) => f.length), [9, 9, 9]);
  assert.equal(r.synthetic?.aligned, true);
  // and through the command, as `fer-au data check --dataset disfa --root <set> --json`
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  let code: number;
  try {
    code = await command.run(['check', '--dataset', 'disfa', '--root', out, '--json']);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(code, 0);
  const json = JSON.parse(printed.join(''));
  assert.deepEqual(json.problems, []);
  assert.equal(json.subjects.length, 27);
  assert.equal(json.threshold, 2);
  const index = await loadDisfa(out);
  assert.equal(index.aligned, true);
  assert.equal(index.frames.length, r.frames);
});
