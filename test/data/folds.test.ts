import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISFA_FOLDS, DISFA_SUBJECTS, foldFrames, foldOf, foldSplit, validationSplit } from '../../lib/data/folds';
import { loadManifest } from '../../lib/data/manifest';

// The lists exactly as in shared/reference/baselines.md ("DISFA protocol").
const PART1 = 'SN002 SN010 SN001 SN026 SN027 SN032 SN030 SN009 SN016'.split(' ');
const PART2 = 'SN013 SN018 SN011 SN028 SN012 SN006 SN031 SN021 SN024'.split(' ');
const PART3 = 'SN003 SN029 SN023 SN025 SN008 SN005 SN007 SN017 SN004'.split(' ');

test('DISFA_FOLDS are exactly the three published parts, in order', () => {
  assert.deepEqual(DISFA_FOLDS.map((f) => [...f]), [PART1, PART2, PART3]);
});

test('the folds partition the 27 DISFA subjects (SN001-SN013, SN016-SN018, SN021, SN023-SN032)', () => {
  const expected = [
    ...Array.from({ length: 13 }, (_, i) => i + 1), 16, 17, 18, 21,
    ...Array.from({ length: 10 }, (_, i) => i + 23),
  ].map((n) => `SN${String(n).padStart(3, '0')}`);
  assert.equal(expected.length, 27);
  const all = DISFA_FOLDS.flat();
  assert.equal(all.length, 27);
  assert.equal(new Set(all).size, 27);
  assert.deepEqual([...all].sort(), expected);
  assert.deepEqual([...DISFA_SUBJECTS], expected);
});

test('data-manifests/disfa.json carries the same subjects, folds and counts', () => {
  const m = loadManifest('disfa');
  assert.deepEqual(m.folds, [PART1, PART2, PART3]);
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

test('foldSplit tests on part k and trains on the other two, subject-exclusively', () => {
  for (const k of [1, 2, 3] as const) {
    const { train, test: testSubjects } = foldSplit([...DISFA_SUBJECTS], k);
    assert.deepEqual([...testSubjects].sort(), [...[PART1, PART2, PART3][k - 1]].sort());
    assert.equal(train.length, 18);
    assert.equal(train.filter((s) => testSubjects.includes(s)).length, 0);
    assert.equal(foldOf(testSubjects[0]), k);
  }
});

test('foldSplit keeps only the subjects present and rejects subjects in no fold', () => {
  assert.deepEqual(foldSplit(['SN001', 'SN006', 'SN003'], 2), { train: ['SN001', 'SN003'], test: ['SN006'] });
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
  assert.ok(r.test.every((f) => PART3.includes(f.subject)));
  assert.equal(r.subjects.val.length, 4); // round(0.2 * 18)
  assert.equal(r.val.length, 8);
  assert.equal(r.train.length, 28);
  const seen = new Set([...r.train, ...r.val, ...r.test].map((f) => f.subject));
  assert.equal(seen.size, 27);
  for (const s of r.subjects.val) assert.ok(!r.subjects.train.includes(s) && !r.subjects.test.includes(s));
});
