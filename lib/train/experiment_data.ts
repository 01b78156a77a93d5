/**
 * The data of one experiment: the dataset (a DISFA copy, or the cached synthetic set), aligned face crops,
 * the fold's subject-exclusive train / validation / test split and the presence labels of each part.
 * Shared by trainTwoStage and `fer-au eval`, so both see exactly the same frames.
 */
import * as tf from '@tensorflow/tfjs';
import { alignFrames } from '../data/align';
import { foldSplit, labelsOf, loadDisfa, validationSplit, type DatasetIndex, type FrameRecord } from '../data';
import { imageBatches } from '../data/pipeline';
import type { AuModel } from '../models';
import type { Curve, ResultsMetrics } from '../results/schema';
import { deriveSeed } from '../util/rng';
import type { ExperimentConfig } from './config';
import { evaluateScores } from './evaluate';
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
 * Loads the config's dataset and splits it: test = fold k's subjects (JAA-Net folds), validation = a seeded,
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

/** Logits of `frames` from the full model in inference mode, row-major [n, K]. */
export async function predictLogits(
  m: AuModel,
  frames: FrameRecord[],
  c: Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>,
  onProgress: ProgressFn = () => undefined,
): Promise<Float32Array> {
  const K = m.numAus;
  const out = new Float32Array(frames.length * K);
  const steps = Math.ceil(frames.length / c.evalBatchSize);
  let step = 0;
  const batches = imageBatches(frames, { aus: c.aus, inputSize: c.inputSize, batchSize: c.evalBatchSize, shuffle: false, seed: 0, augment: null, preprocess: m.preprocess });
  for await (const b of batches) {
    const logits = m.model.predict(b.x) as tf.Tensor2D;
    const data = (await logits.data()) as Float32Array;
    b.index.forEach((j, r) => out.set(data.subarray(r * K, (r + 1) * K), j * K));
    tf.dispose([logits, b.x, b.y]);
    onProgress({ kind: 'step', phase: 'eval', epoch: 0, epochs: 0, step: ++step, steps });
  }
  return out;
}

export function sigmoidArray(logits: Float32Array): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = 1 / (1 + Math.exp(-logits[i]));
  return out;
}

/** Scores every validation and test frame and computes the test metrics (thresholds tuned on validation). */
export async function evaluateModel(
  m: AuModel,
  d: ExperimentData,
  c: ExperimentConfig,
  onProgress: ProgressFn = () => undefined,
): Promise<{ metrics: ResultsMetrics; curves: Record<string, Curve>; valScores: Float32Array; testScores: Float32Array }> {
  onProgress({ kind: 'phase', phase: 'evaluate', detail: `${d.val.length} validation + ${d.test.length} test frames` });
  const valScores = sigmoidArray(await predictLogits(m, d.val, c, onProgress));
  const testScores = sigmoidArray(await predictLogits(m, d.test, c, onProgress));
  const { metrics, curves } = evaluateScores(d.testLabels, testScores, c.aus, { labels: d.valLabels, scores: valScores });
  return { metrics, curves, valScores, testScores };
}

/** CSV of per-frame scores and labels: subject,frame,image,<AU>_score...,<AU>_label... */
export function scoresCsv(frames: FrameRecord[], scores: Float32Array, labels: Float32Array, aus: string[]): string {
  const K = aus.length;
  const head = ['subject', 'frame', 'image', ...aus.map((a) => `${a}_score`), ...aus.map((a) => `${a}_label`)].join(',');
  const rows = frames.map((f, i) => {
    const s = Array.from(scores.subarray(i * K, (i + 1) * K), (v) => v.toPrecision(6));
    const y = Array.from(labels.subarray(i * K, (i + 1) * K), (v) => String(v));
    return [f.subject, f.frame, JSON.stringify(f.image), ...s, ...y].join(',');
  });
  return `${[head, ...rows].join('\n')}\n`;
}

export function countPositives(labels: Float32Array, aus: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  aus.forEach((au, k) => {
    let n = 0;
    for (let i = k; i < labels.length; i += aus.length) if (labels[i] >= 0.5) n++;
    out[au] = n;
  });
  return out;
}
