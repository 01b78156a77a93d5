/**
 * The data of one experiment: the dataset (a DISFA copy, or the cached synthetic set), aligned face crops,
 * the fold's subject-exclusive train / validation / test split and the presence labels of each part.
 * The one place a run's data is loaded and its config's dataset settings are resolved; shared by trainTwoStage
 * and `fer-au eval`, so both see exactly the same frames.
 */
import { alignFrames } from '../data/align';
import { foldSplit, labelsOf, loadDisfa, validationSplit, type DatasetIndex, type FrameRecord } from '../data';
import { deriveSeed } from '../util/rng';
import type { ExperimentConfig } from './config';
import type { ProgressFn } from './progress';
import { ensureSyntheticDataset } from './synthetic';

export interface ExperimentData {
  index: DatasetIndex;
  synthetic: boolean;
  trainSubjects: string[];
  valSubjects: string[];
  testSubjects: string[];
  train: FrameRecord[];
  val: FrameRecord[];
  test: FrameRecord[];
  /** Row-major [frames, aus] 0/1 presence. */
  trainLabels: Float32Array;
  valLabels: Float32Array;
  testLabels: Float32Array;
}

function framesOf(frames: FrameRecord[], subjects: string[]): FrameRecord[] {
  const set = new Set(subjects);
  return frames.filter((f) => set.has(f.subject));
}

/**
 * Loads the config's dataset and splits it: test = fold k's subjects (ME-GraphAU numbering, lib/data folds.ts), validation = a seeded,
 * subject-exclusive share of the remaining (training) subjects, never of the test fold.
 */
export async function loadExperimentData(
  c: ExperimentConfig,
  opts: { cacheDir?: string; onProgress?: ProgressFn } = {},
): Promise<ExperimentData> {
  const onProgress: ProgressFn = opts.onProgress ?? (() => undefined);
  let root = c.dataset.root;
  const synthetic = root === null;
  if (root === null) {
    onProgress({ kind: 'phase', phase: 'data', detail: `synthetic DISFA ${JSON.stringify(c.dataset.synthetic)}` });
    root = await ensureSyntheticDataset(c.dataset.synthetic, {
      cacheDir: opts.cacheDir,
      onProgress: (done, total) => onProgress({ kind: 'step', phase: 'data', epoch: 0, epochs: 0, step: done, steps: total }),
    });
  }
  const index = await loadDisfa(root, { aus: c.aus, framesPerSubject: c.dataset.framesPerSubject ?? undefined });
  let frames = index.frames;
  if (!index.aligned) {
    onProgress({ kind: 'phase', phase: 'align', detail: `${frames.length} frames (cached crops are reused)` });
    const { frames: aligned, report } = await alignFrames(index, {
      cacheDir: opts.cacheDir,
      onProgress: (done, total) => onProgress({ kind: 'step', phase: 'data', epoch: 0, epochs: 0, step: done, steps: total }),
    });
    if (report.noFace.length) onProgress({ kind: 'phase', phase: 'align', detail: `no face found in ${report.noFace.length} of ${report.total} frames: left out` });
    frames = aligned;
  }
  const split = foldSplit(index.subjects, c.fold);
  const vs = validationSplit(split.train, { fraction: c.validationFraction, seed: deriveSeed(c.seed, 'validation-split') });
  const train = framesOf(frames, vs.train);
  const val = framesOf(frames, vs.val);
  const test = framesOf(frames, split.test);
  if (!train.length || !val.length || !test.length) {
    throw new Error(`fold ${c.fold} of ${index.root}: empty split (train ${train.length}, validation ${val.length}, test ${test.length} frames)`);
  }
  onProgress({
    kind: 'phase',
    phase: 'data',
    detail: `${index.root}: fold ${c.fold}, train ${vs.train.length} subjects / ${train.length} frames, validation ${vs.val.length} / ${val.length}, test ${split.test.length} / ${test.length}`,
  });
  return {
    index,
    synthetic,
    trainSubjects: vs.train,
    valSubjects: vs.val,
    testSubjects: split.test,
    train,
    val,
    test,
    trainLabels: labelsOf(train, c.aus),
    valLabels: labelsOf(val, c.aus),
    testLabels: labelsOf(test, c.aus),
  };
}
