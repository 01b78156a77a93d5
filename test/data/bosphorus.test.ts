import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadBosphorus, parseBosphorusName, parseLm2 } from '../../lib/data/bosphorus';
import { checkDataset } from '../../lib/data/check';
import { labelsOf } from '../../lib/data/labels';
import type { DataProblem } from '../../lib/data/types';
import { copyFixture, FIXTURES } from './helpers';

const FIX = path.join(FIXTURES, 'bosphorus');

test('Bosphorus names decode into subject, category, AU numbers and take', () => {
  assert.deepEqual(parseBosphorusName('bs000_LFAU_12LW_0.png'), { subject: 'bs000', category: 'LFAU', code: '12LW', take: 0, aus: [12], variant: 'LW' });
  assert.deepEqual(parseBosphorusName('bs104_UFAU_2_1').aus, [2]);
  assert.deepEqual(parseBosphorusName('bs010_CAU_A12A15_0.png').aus, [12, 15]);
  assert.deepEqual(parseBosphorusName('bs010_CAU_A22A25_0.png').aus, [22, 25]);
  assert.deepEqual(parseBosphorusName('bs003_N_N_2.png').aus, []);
  assert.equal(parseBosphorusName('bs003_E_SURPRISE_0.png').category, 'E');
  assert.equal(parseBosphorusName('bs003_YR_R45_0.png').category, 'YR');
  assert.equal(parseBosphorusName('bs003_PR_SD_0.png').category, 'PR');
  assert.equal(parseBosphorusName('bs003_CR_RU_0.png').category, 'CR');
  assert.equal(parseBosphorusName('bs003_O_GLASSES_0.png').category, 'O');
  assert.throws(() => parseBosphorusName('bs003_XX_1_0.png'), /unknown category 'XX'/);
  assert.throws(() => parseBosphorusName('bs003_LFAU_LW_0.png'), /AU number/);
  assert.throws(() => parseBosphorusName('bs003_E_BORED_0.png'), /unknown emotion 'BORED'/);
  assert.throws(() => parseBosphorusName('face_01.png'), /not a Bosphorus name/);
});

test('the Bosphorus fixture gives multi-hot labels over the AUs present, neutral all-zero, lm2 landmarks attached', async () => {
  const index = await loadBosphorus(FIX);
  assert.deepEqual(index.aus, ['AU02', 'AU12', 'AU15', 'AU26']);
  assert.deepEqual(index.subjects, ['bs000', 'bs001']);
  assert.deepEqual(index.frames.map((f) => path.basename(f.image)), [
    'bs000_CAU_A12A15_0.png', 'bs000_LFAU_12LW_0.png', 'bs000_N_N_0.png', 'bs000_UFAU_2_0.png',
    'bs001_LFAU_26_0.png', 'bs001_N_N_0.png',
  ]);
  assert.deepEqual([...labelsOf(index.frames, index.aus)], [
    0, 1, 1, 0,
    0, 1, 0, 0,
    0, 0, 0, 0,
    1, 0, 0, 0,
    0, 0, 0, 1,
    0, 0, 0, 0,
  ]);
  const lm = index.frames[5].landmarks!;
  assert.deepEqual(lm.names, ['Outer left eyebrow', 'Middle left eyebrow', 'Inner left eyebrow']);
  assert.deepEqual(lm.points, [[100.5, 200.25], [110, 201], [120.75, 199.5]]);
  const withEmotions = await loadBosphorus(FIX, { include: ['E', 'N'] });
  assert.deepEqual(withEmotions.aus, []);
  assert.equal(withEmotions.frames.length, 3);
  const r = checkDataset('bosphorus', FIX);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.positives, { AU02: 1, AU12: 2, AU15: 1, AU26: 1 });
});

test('bad Bosphorus names, misplaced files and broken .lm2 files are reported with the file', () => {
  const root = copyFixture('bosphorus');
  fs.copyFileSync(path.join(root, 'bs000/bs000_N_N_0.png'), path.join(root, 'bs000/bs000_ZZ_1_0.png'));
  fs.copyFileSync(path.join(root, 'bs000/bs000_N_N_0.png'), path.join(root, 'bs001/bs000_N_N_1.png'));
  fs.writeFileSync(path.join(root, 'bs001/bs001_N_N_0.lm2'), '# 2D Landmark File\n\n3 landmarks:\nLabels:\na\nb\nc\n2D Image coordinates:\n1 2\n3 x\n');
  const p = checkDataset('bosphorus', root).problems;
  assert.deepEqual(p.map((x) => [x.code, path.relative(root, x.file), x.line]), [
    ['unknown-name', 'bs000/bs000_ZZ_1_0.png', undefined],
    ['unknown-subject', 'bs001/bs000_N_N_1.png', undefined],
    ['bad-line', 'bs001/bs001_N_N_0.lm2', 10], // '3 x' is line 10
  ]);
});

test('parseLm2 reads names and coordinates and rejects a short file', () => {
  const problems: DataProblem[] = [];
  assert.equal(parseLm2('2 landmarks:\nLabels:\nx\n', 'f.lm2', problems), null);
  assert.equal(problems[0].code, 'bad-line');
});
