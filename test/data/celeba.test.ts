import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadCeleba, parseCelebaAttributes } from '../../lib/data/celeba';
import { checkDataset } from '../../lib/data/check';
import { labelsOf } from '../../lib/data/labels';
import type { DataProblem } from '../../lib/data/types';
import { copyFixture, FIXTURES } from './helpers';

const FIX = path.join(FIXTURES, 'celeba');

test('the CelebA fixture (count line, 40 names, rows with one or two spaces) loads with its partitions', async () => {
  const r = checkDataset('celeba', FIX, { attributes: ['Smiling', 'Male'] });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.subjects.map((s) => [s.id, s.frames]), [['train', 2], ['val', 1], ['test', 1]]);
  const index = await loadCeleba(FIX, { attributes: ['Smiling', 'Male'] });
  assert.equal(index.aligned, true);
  assert.deepEqual(index.frames.map((f) => [path.basename(f.image), f.subject]), [
    ['000001.jpg', 'train'], ['000002.jpg', 'train'], ['000003.jpg', 'val'], ['000004.jpg', 'test'],
  ]);
  // The generator's rule (i*7 + j*3) % 5 < 2: Smiling (j = 31): 100, 107, 114, 121 mod 5 = 0 2 4 1 -> 1 0 0 1;
  // Male (j = 20): 67, 74, 81, 88 mod 5 = 2 4 1 3 -> 0 0 1 0. Rows are images, columns [Smiling, Male].
  assert.deepEqual([...labelsOf(index.frames, ['Smiling', 'Male'])], [1, 0, 0, 0, 0, 1, 1, 0]);
  const test1 = await loadCeleba(FIX, { attributes: ['Smiling'], partitions: ['test'] });
  assert.deepEqual(test1.subjects, ['test']);
  await assert.rejects(loadCeleba(FIX, { attributes: ['Smiling', 'Grinning'] }), /Grinning not in/);
});

test('parseCelebaAttributes reports a wrong count, a wrong value, a short row and tab separators by line', () => {
  const names = Array.from({ length: 40 }, (_, j) => `A${j}`);
  const row = (f: string, v: string[]) => `${f} ${v.join(' ')}`;
  const ones = Array(40).fill(' 1');
  const lines = [
    '4',
    names.join(' '),
    row('a.jpg', ones),
    row('b.jpg', [...ones.slice(0, 39), ' 0']),
    row('c.jpg', ones.slice(0, 39)),
    `d.jpg\t${Array(40).fill('1').join('\t')}`,
    row('a.jpg', ones),
  ];
  const problems: DataProblem[] = [];
  const parsed = parseCelebaAttributes(lines.join('\r\n') + '\r\n', 'attr.txt', problems);
  assert.deepEqual(problems.map((p) => [p.code, p.line]), [
    ['bad-line', 4],
    ['bad-line', 5],
    ['bad-line', 6],
    ['duplicate-frame', 7],
    ['frame-count', 1],
  ]);
  assert.match(problems[0].message, /A39 must be 1 or -1, got '0'/);
  assert.match(problems[4].message, /count line says 4 images, the file has 5 rows/);
  assert.equal(parsed.rows.length, 1);
});

test('missing CelebA images and partitions are reported with the file', () => {
  const root = copyFixture('celeba');
  fs.rmSync(path.join(root, 'img_align_celeba/000003.jpg'));
  fs.writeFileSync(path.join(root, 'list_eval_partition.txt'), '000001.jpg 0\n000002.jpg 5\n000003.jpg 1\n000004.jpg 2\n');
  const r = checkDataset('celeba', root);
  assert.deepEqual(r.problems.map((p) => [p.code, path.relative(root, p.file), p.line]), [
    ['bad-line', 'list_eval_partition.txt', 2],
    ['missing-frame', 'list_eval_partition.txt', undefined],
    ['missing-file', 'img_align_celeba/000003.jpg', undefined],
  ]);
  fs.rmSync(path.join(root, 'list_attr_celeba.txt'));
  assert.deepEqual(checkDataset('celeba', root).problems.map((p) => p.code), ['missing-file']);
});
