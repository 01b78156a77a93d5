import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISFA_FOLD_TEST_PART, DISFA_FOLDS, DISFA_PARTS, DISFA_SUBJECTS, foldFrames, foldOf, foldSplit, validationSplit } from '../../lib/data/folds';
import { loadManifest } from '../../lib/data/manifest';

// The lists exactly as in shared/reference/baselines.md ("DISFA protocol") and ME-GraphAU's
// tool/DISFA_image_label_process.py (github.com/CVI-SZU/ME-GraphAU @68fb279): part1, part2, part3.
const PART1 = 'SN002 SN010 SN001 SN026 SN027 SN032 SN030 SN009 SN016'.split(' ');
const PART2 = 'SN013 SN018 SN011 SN028 SN012 SN006 SN031 SN021 SN024'.split(' ');
const PART3 = 'SN003 SN029 SN023 SN025 SN008 SN005 SN007 SN017 SN004'.split(' ');

// The same script's numbering: "fold1: train: part1+part2 test: part3", "fold2: train: part1+part3 test: part2",
// "fold3: train: part2+part3 test: part1".
const PUBLISHED = [
  { fold: 1, train: [...PART1, ...PART2], test: PART3 },
  { fold: 2, train: [...PART1, ...PART3], test: PART2 },
  { fold: 3, train: [...PART2, ...PART3], test: PART1 },
] as const;

test('DISFA_PARTS are exactly the three published parts, in order', () => {
  assert.deepEqual(DISFA_PARTS.map((f) => [...f]), [PART1, PART2, PART3]);
});

test('fold 1 tests part3, fold 2 part2, fold 3 part1 (ME-GraphAU numbering)', () => {
  assert.deepEqual([...DISFA_FOLD_TEST_PART], [3, 2, 1]);
  assert.deepEqual(DISFA_FOLDS.map((f) => [...f]), [PART3, PART2, PART1]);
});

test('the folds partition the 27 DISFA subjects (SN001-SN013, SN016-SN018, SN021, SN023-SN032)', () => {
  const expected = [
    ...Array.from({ length: 13 }, (_, i) => i + 1), 16, 17, 18, 21,
    ...Array.from({ length: 10 }, (_, i) => i + 23),
  ].map((n) => `SN${String(n).padStart(3, '0')}`);
  assert.equal(expected.length, 27);
  const all = DISFA_PARTS.flat();
  assert.equal(all.length, 27);
  assert.equal(new Set(all).size, 27);
  assert.deepEqual([...all].sort(), expected);
  assert.deepEqual([...DISFA_SUBJECTS], expected);
});

test('data-manifests/disfa.json carries the same subjects, folds and counts', () => {
  const m = loadManifest('disfa');
  assert.deepEqual(m.parts, [PART1, PART2, PART3]);
  assert.deepEqual(m.folds, [PART3, PART2, PART1]);
  assert.deepEqual(m.subjects, [...DISFA_SUBJECTS]);
  assert.equal(m.counts.framesPerSubject, 4845);
  assert.deepEqual(m.counts.framesPerSubjectExceptions, { SN010: 4844 });
  // 26 x 4845 + 4844 = 130,814
  assert.equal(m.counts.totalFrames, 26 * 4845 + 4844);
  assert.equal(m.counts.totalFrames, 130814);
  assert.deepEqual(m.counts.paperTable1Positives, {
    AU01: 6506, AU02: 5644, AU04: 19933, AU06: 10327, AU09: 5473, AU12: 16851, AU25: 36247, AU26: 11533,
  });
  assert.equal(m.presenceThreshold, 2);
});

test('foldSplit gives the published train and test subjects of every fold', () => {
  for (const p of PUBLISHED) {
    const { train, test: testSubjects } = foldSplit([...DISFA_SUBJECTS], p.fold);
    assert.deepEqual([...testSubjects].sort(), [...p.test].sort());
    assert.deepEqual([...train].sort(), [...p.train].sort());
    assert.equal(train.length, 18);
    assert.equal(train.filter((s) => testSubjects.includes(s)).length, 0);
    assert.ok(testSubjects.every((s) => foldOf(s) === p.fold));
  }
  // spot checks: SN003 (part3) is tested in fold 1, SN002 (part1) in fold 3
  assert.equal(foldOf('SN003'), 1);
  assert.equal(foldOf('SN002'), 3);
  assert.equal(foldOf('SN006'), 2);
});

test('foldSplit keeps only the subjects present and rejects subjects in no fold', () => {
  assert.deepEqual(foldSplit(['SN001', 'SN006', 'SN003'], 2), { train: ['SN001', 'SN003'], test: ['SN006'] });
  assert.deepEqual(foldSplit(['SN001', 'SN006', 'SN003'], 1), { train: ['SN001', 'SN006'], test: ['SN003'] });
  assert.deepEqual(foldSplit(['SN001', 'SN006', 'SN003'], 3), { train: ['SN006', 'SN003'], test: ['SN001'] });
  assert.throws(() => foldSplit(['SN001', 'SN014'], 1), /SN014/);
  assert.throws(() => foldSplit(['SN001'], 4 as 1), /fold must be 1\.\.3/);
});

test('validationSplit holds out whole subjects, deterministically from the seed', () => {
  const { train } = foldSplit([...DISFA_SUBJECTS], 1);
  const a = validationSplit(train, { fraction: 0.2, seed: 7 });
  const b = validationSplit([...train].reverse(), { fraction: 0.2, seed: 7 });
  assert.deepEqual(a, b);
  assert.equal(a.val.length, Math.round(0.2 * 18));
  assert.equal(a.train.length + a.val.length, 18);
  assert.equal(a.train.filter((s) => a.val.includes(s)).length, 0);
  assert.deepEqual([...a.train, ...a.val].sort(), [...train].sort());
  const c = validationSplit(train, { fraction: 0.2, seed: 8 });
  assert.notDeepEqual(a.val, c.val);
});

test('validationSplit keeps at least one subject on each side and rejects bad fractions', () => {
  assert.equal(validationSplit(['SN001', 'SN002', 'SN003'], { fraction: 0.01, seed: 1 }).val.length, 1);
  assert.equal(validationSplit(['SN001', 'SN002'], { fraction: 0.9, seed: 1 }).train.length, 1);
  assert.deepEqual(validationSplit(['SN001', 'SN002'], { fraction: 0, seed: 1 }).val, []);
  assert.throws(() => validationSplit(['SN001'], { fraction: 1, seed: 1 }), /fraction/);
  assert.throws(() => validationSplit(['SN001', 'SN001'], { fraction: 0.5, seed: 1 }), /duplicate/);
});

test('foldFrames splits the frames of an index by subject into train, val and test without overlap', () => {
  const frames = [...DISFA_SUBJECTS].flatMap((s) => [1, 2].map((frame) => ({ subject: s, frame, image: `/x/${s}/${frame}.jpg`, intensity: {} })));
  const r = foldFrames({ frames, subjects: [...DISFA_SUBJECTS] }, 3, { valFraction: 0.2, seed: 4 });
  assert.equal(r.test.length, 18);
  assert.ok(r.test.every((f) => PART1.includes(f.subject)));
  assert.equal(r.subjects.val.length, 4); // round(0.2 * 18)
  assert.equal(r.val.length, 8);
  assert.equal(r.train.length, 28);
  const seen = new Set([...r.train, ...r.val, ...r.test].map((f) => f.subject));
  assert.equal(seen.size, 27);
  for (const s of r.subjects.val) assert.ok(!r.subjects.train.includes(s) && !r.subjects.test.includes(s));
});
