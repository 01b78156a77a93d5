import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { writeSyntheticDisfa, synthesizeSubjectLabels } from '../../lib/data/synthetic';
import { runSynth } from '../../lib/commands/data_synth';
import { UsageError } from '../../lib/commands/types';

const AU_NUMBERS = [1, 2, 4, 5, 6, 9, 12, 15, 17, 20, 25, 26];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-synth-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

/** sha256 over every file of the set (sorted relative paths and contents). */
function hashTree(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(root, p)).update(fs.readFileSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

const small = { subjects: 2, frames: 12, size: 64, seed: 11, quiet: true };

test('same seed gives the same bytes (inline and with 2 worker threads); another seed other bytes', async () => {
  const a = path.join(tmp, 'a'), b = path.join(tmp, 'b'), c = path.join(tmp, 'c');
  await writeSyntheticDisfa({ ...small, out: a, workers: 0 });
  await writeSyntheticDisfa({ ...small, out: b, workers: 2 });
  await writeSyntheticDisfa({ ...small, out: c, workers: 0, seed: 12 });
  assert.equal(hashTree(a), hashTree(b));
  assert.notEqual(hashTree(a), hashTree(c));
});

test('the set has DISFA\'s layout: label files per AU with 1-based consecutive `frame,intensity` lines, one JPEG per frame', () => {
  const root = path.join(tmp, 'a');
  assert.deepEqual(fs.readdirSync(root).sort(), ['ActionUnit_Labels', 'Frames_LeftCamera', 'fer-au-synthetic.json']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'ActionUnit_Labels')).sort(), ['SN001', 'SN002']);
  const labels = synthesizeSubjectLabels({ seed: 11, subject: 'SN002', frames: 12 });
  assert.deepEqual(
    fs.readdirSync(path.join(root, 'ActionUnit_Labels', 'SN002')).sort(),
    AU_NUMBERS.map((n) => `SN002_au${n}.txt`).sort(),
  );
  for (const n of AU_NUMBERS) {
    const text = fs.readFileSync(path.join(root, 'ActionUnit_Labels', 'SN002', `SN002_au${n}.txt`), 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, 12);
    const au = `AU${String(n).padStart(2, '0')}` as keyof typeof labels.intensity;
    lines.forEach((l, i) => assert.equal(l, `${i + 1},${labels.intensity[au][i]}`));
  }
  const frames = fs.readdirSync(path.join(root, 'Frames_LeftCamera', 'SN001')).sort();
  assert.deepEqual(frames, Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(5, '0')}.jpg`));
  const jpg = fs.readFileSync(path.join(root, 'Frames_LeftCamera', 'SN001', '00007.jpg'));
  assert.deepEqual([...jpg.subarray(0, 2)], [0xff, 0xd8]);
  const { Image } = require('@napi-rs/canvas') as typeof import('@napi-rs/canvas');
  const img = new Image();
  img.src = jpg;
  assert.deepEqual([img.width, img.height], [64, 64]);
  const prov = JSON.parse(fs.readFileSync(path.join(root, 'fer-au-synthetic.json'), 'utf8'));
  assert.equal(prov.seed, 11);
  assert.equal(prov.size, 64);
  assert.equal(prov.aligned, true);
  assert.equal(prov.framesPerSubject, 12);
  assert.deepEqual(prov.subjects, ['SN001', 'SN002']);
  assert.deepEqual(Object.keys(prov.identities), ['SN001', 'SN002']);
  assert.equal(typeof prov.generator, 'string');
});

test('an interrupted generation is resumed: complete subjects are skipped, the result is byte-identical', async () => {
  const a = path.join(tmp, 'a'), r = path.join(tmp, 'r');
  await writeSyntheticDisfa({ ...small, out: r, workers: 0 });
  // simulate an interruption inside SN002: provenance not yet written, a frame missing, the partial marker present
  const prov = fs.readFileSync(path.join(r, 'fer-au-synthetic.json'));
  fs.rmSync(path.join(r, 'fer-au-synthetic.json'));
  fs.writeFileSync(path.join(r, '.fer-au-synthetic.partial.json'), prov);
  fs.rmSync(path.join(r, 'Frames_LeftCamera', 'SN002', '00005.jpg'));
  const s = await writeSyntheticDisfa({ ...small, out: r, workers: 0 });
  assert.deepEqual(s.skipped, ['SN001']);
  assert.equal(s.rendered, 12);
  assert.equal(fs.existsSync(path.join(r, '.fer-au-synthetic.partial.json')), false);
  assert.equal(hashTree(r), hashTree(a));
  const again = await writeSyntheticDisfa({ ...small, out: r, workers: 0 });
  assert.equal(again.rendered, 0);
});

test('writing into a set made with other options, or into an unrelated folder, is refused', async () => {
  await assert.rejects(writeSyntheticDisfa({ ...small, out: path.join(tmp, 'a'), seed: 99 }), /other options.*seed 11/);
  const other = path.join(tmp, 'other');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'notes.txt'), 'x');
  await assert.rejects(writeSyntheticDisfa({ ...small, out: other }), /not empty and not a synthetic DISFA set/);
});

test('fer-au data synth --subjects 3 writes SN001-SN003; bad options are usage errors', async () => {
  const out = path.join(tmp, 'cli');
  assert.equal(await runSynth(['--out', out, '--subjects', '3', '--frames', '2', '--size', '32', '--seed', '4', '--quiet']), 0);
  assert.deepEqual(fs.readdirSync(path.join(out, 'Frames_LeftCamera')).sort(), ['SN001', 'SN002', 'SN003']);
  await assert.rejects(runSynth([]), UsageError);
  await assert.rejects(runSynth(['--out', out, '--subjects', '28']), /--subjects must be in \[1, 27\]/);
  await assert.rejects(runSynth(['--out', out, '--size', 'big']), /--size must be an integer/);
  await assert.rejects(runSynth(['--out', out, '--seed', '5', '--frames', '2', '--size', '32', '--subjects', '3']), /other options/);
  await assert.rejects(runSynth(['--contact-sheet', path.join(tmp, 'x.jpg')]), /\.png/);
});
