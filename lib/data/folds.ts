/**
 * DISFA's three subject-exclusive folds (the JAA-Net / ME-GraphAU protocol) and subject-exclusive
 * train/validation splits.
 *
 * The three parts are listed as in the JAA-Net and ME-GraphAU code; the folds are numbered as ME-GraphAU's
 * `tool/DISFA_image_label_process.py` (github.com/CVI-SZU/ME-GraphAU, commit 68fb279):
 *   # fold1:  train : part1+part2 test: part3
 *   # fold2:  train : part1+part3 test: part2
 *   # fold3:  train : part2+part3 test: part1
 * (its `DISFA_test_label_fold1.txt` is written from part3, `..._fold3.txt` from part1). So fold k does NOT test
 * part k: fold 1 tests part3, fold 3 tests part1; fold 2 tests part2.
 * Subject lists: shared/reference/baselines.md ("DISFA protocol"), also in data-manifests/disfa.json
 * (`parts` in this order, `folds` = the test subjects of folds 1, 2, 3).
 */
import { Rng } from '../util/rng';
import type { DatasetIndex, FrameRecord } from './types';

/** The 27 DISFA subjects, sorted: SN001-SN013, SN016-SN018, SN021, SN023-SN032. */
export const DISFA_SUBJECTS: readonly string[] = Object.freeze([
  'SN001', 'SN002', 'SN003', 'SN004', 'SN005', 'SN006', 'SN007', 'SN008', 'SN009', 'SN010', 'SN011', 'SN012',
  'SN013', 'SN016', 'SN017', 'SN018', 'SN021', 'SN023', 'SN024', 'SN025', 'SN026', 'SN027', 'SN028', 'SN029',
  'SN030', 'SN031', 'SN032',
]);

/** The three parts part1, part2, part3, in the order (and with the subject order) the JAA-Net / ME-GraphAU code lists them. */
export const DISFA_PARTS: readonly (readonly string[])[] = Object.freeze([
  Object.freeze(['SN002', 'SN010', 'SN001', 'SN026', 'SN027', 'SN032', 'SN030', 'SN009', 'SN016']),
  Object.freeze(['SN013', 'SN018', 'SN011', 'SN028', 'SN012', 'SN006', 'SN031', 'SN021', 'SN024']),
  Object.freeze(['SN003', 'SN029', 'SN023', 'SN025', 'SN008', 'SN005', 'SN007', 'SN017', 'SN004']),
]);

/** Which part (1..3) fold k (1..3) tests, ME-GraphAU's numbering: fold 1 -> part3, fold 2 -> part2, fold 3 -> part1. */
export const DISFA_FOLD_TEST_PART: readonly number[] = Object.freeze([3, 2, 1]);

/** The test subjects of folds 1, 2, 3 (DISFA_FOLDS[k - 1] is fold k's test part); each fold trains on the other two. */
export const DISFA_FOLDS: readonly (readonly string[])[] = Object.freeze(DISFA_FOLD_TEST_PART.map((p) => DISFA_PARTS[p - 1]));

/** The fold (1..3) whose test part holds `subject`, or 0 when it is in none. */
export function foldOf(subject: string, folds: readonly (readonly string[])[] = DISFA_FOLDS): number {
  for (let k = 0; k < folds.length; k++) if (folds[k].includes(subject)) return k + 1;
  return 0;
}

/**
 * Splits the dataset's `subjects` for fold `fold`: test = `folds[fold - 1]` (DISFA_FOLDS: fold 1 tests part3,
 * fold 2 part2, fold 3 part1), train = the subjects of the other two parts. Subjects absent from `subjects` are left out of both; a subject in no part is an error
 * (it would silently leak or vanish otherwise). Both lists keep the order of `subjects`.
 */
export function foldSplit(
  subjects: string[],
  fold: 1 | 2 | 3,
  folds: readonly (readonly string[])[] = DISFA_FOLDS,
): { train: string[]; test: string[] } {
  if (!Number.isInteger(fold) || fold < 1 || fold > folds.length) {
    throw new Error(`foldSplit: fold must be 1..${folds.length}, got ${fold}`);
  }
  const unknown = subjects.filter((s) => foldOf(s, folds) === 0);
  if (unknown.length) throw new Error(`foldSplit: subject(s) in no fold: ${unknown.join(', ')}`);
  const testSet = new Set(folds[fold - 1]);
  return { train: subjects.filter((s) => !testSet.has(s)), test: subjects.filter((s) => testSet.has(s)) };
}

/**
 * Holds out whole subjects for validation (never frames of a training subject): shuffles the sorted subject
 * list with `seed` and takes round(fraction * n) of them, at least one when fraction > 0 and at least one
 * subject is left to train on. Both lists are returned sorted.
 */
export function validationSplit(
  trainSubjects: string[],
  opts: { fraction: number; seed: number },
): { train: string[]; val: string[] } {
  const { fraction, seed } = opts;
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`validationSplit: fraction must be in [0, 1), got ${fraction}`);
  const unique = [...new Set(trainSubjects)].sort();
  if (unique.length !== trainSubjects.length) throw new Error('validationSplit: duplicate subject ids');
  let nVal = Math.round(fraction * unique.length);
  if (fraction > 0 && nVal === 0) nVal = 1;
  if (nVal >= unique.length) nVal = unique.length - 1;
  if (nVal < 0) nVal = 0;
  const order = new Rng(seed).shuffle(unique.slice());
  const val = new Set(order.slice(0, nVal));
  return { train: unique.filter((s) => !val.has(s)), val: unique.filter((s) => val.has(s)) };
}

/**
 * The frames of fold `fold`: test = frames of the fold's test subjects; the training subjects are split
 * subject-exclusively into train and val (`valFraction` of them, default 0 = no validation set).
 */
export function foldFrames(
  index: Pick<DatasetIndex, 'frames' | 'subjects'>,
  fold: 1 | 2 | 3,
  opts: { valFraction?: number; seed?: number; folds?: readonly (readonly string[])[] } = {},
): { train: FrameRecord[]; val: FrameRecord[]; test: FrameRecord[]; subjects: { train: string[]; val: string[]; test: string[] } } {
  const split = foldSplit(index.subjects, fold, opts.folds);
  const v = validationSplit(split.train, { fraction: opts.valFraction ?? 0, seed: opts.seed ?? 0 });
  const of = (subjects: string[]) => {
    const set = new Set(subjects);
    return index.frames.filter((f) => set.has(f.subject));
  };
  return { train: of(v.train), val: of(v.val), test: of(split.test), subjects: { train: v.train, val: v.val, test: split.test } };
}
