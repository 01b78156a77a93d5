/**
 * Pooled backbone features of frames, for stage 1 (the head trains on them) and for the head BatchNorm's
 * statistics. The backbone runs in inference mode (`features.predict`: BatchNorm layers normalise with, and never
 * update, their moving statistics).
 *
 * With pretrained weights the features go through lib/data's content-addressed FeatureCache
 * (FeatureCache.getOrCompute): each batch is written as a chunk as soon as it is computed, so a killed extraction
 * resumes without recomputing what was written, and a sweep computes each image's features once. Random
 * backbones are not cached: nothing identifies their weights but the seed and the code that drew them.
 */
import * as tf from '@tensorflow/tfjs';
import { FeatureCache } from '../data/feature_cache';
import { imageBatches } from '../data/pipeline';
import type { FrameRecord } from '../data';
import type { AuModel } from '../models';
import type { ExperimentConfig } from './config';
import type { ProgressFn } from './progress';

type FeatureConfig = Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>;

/** The feature cache of a pretrained model (null for random initialisation). The caller closes it. */
export function featureCacheFor(m: AuModel, c: Pick<ExperimentConfig, 'backbone' | 'alpha' | 'inputSize'>, cacheDir?: string): FeatureCache | null {
  const w = m.weights;
  if (!w) return null;
  return new FeatureCache(
    { backbone: `${c.backbone}@alpha${c.alpha}`, weightsId: `${w.id}|${w.source}|${w.checksum?.md5 ?? ''}`, inputSize: c.inputSize, preprocessing: m.preprocessing, featureDim: m.featureDim },
    { cacheDir },
  );
}

/** Row-major [frames.length, featureDim] features of `frames`, computed now (no cache), one batch at a time. */
export async function computeFeatures(m: AuModel, frames: FrameRecord[], c: FeatureConfig, onBatch?: (done: number) => void): Promise<Float32Array> {
  const dim = m.featureDim;
  const out = new Float32Array(frames.length * dim);
  const batches = imageBatches(frames, { aus: c.aus, inputSize: c.inputSize, batchSize: c.evalBatchSize, shuffle: false, seed: 0, augment: null, preprocess: m.preprocess });
  let done = 0;
  for await (const b of batches) {
    const f = m.features.predict(b.x) as tf.Tensor2D; // [batch, featureDim]
    const data = (await f.data()) as Float32Array;
    b.index.forEach((j, r) => out.set(data.subarray(r * dim, (r + 1) * dim), j * dim));
    tf.dispose([f, b.x, b.y]);
    done += b.index.length;
    onBatch?.(done);
  }
  return out;
}

/**
 * Features of `frames` ([n, featureDim] row-major): cached ones are read, missing ones computed in batches of
 * `evalBatchSize` and written to `cache` batch by batch (each batch one chunk), so an interrupted call loses at
 * most the batch in flight.
 */
export async function extractFeatures(
  m: AuModel,
  frames: FrameRecord[],
  c: FeatureConfig,
  cache: FeatureCache | null,
  onProgress: ProgressFn = () => undefined,
  what = 'frames',
): Promise<Float32Array> {
  const report = (step: number, steps: number) => onProgress({ kind: 'step', phase: 'features', epoch: 0, epochs: 0, step, steps });
  if (!cache) {
    const steps = Math.ceil(frames.length / c.evalBatchSize);
    report(0, steps);
    const out = await computeFeatures(m, frames, c, (done) => report(Math.ceil(done / c.evalBatchSize), steps));
    onProgress({ kind: 'phase', phase: 'features', detail: `${what}: ${frames.length} frames (computed, random weights are not cached)` });
    return out;
  }
  const byImage = new Map(frames.map((f) => [f.image, f]));
  const { features, computed, cached } = await cache.getOrCompute(
    frames.map((f) => f.image),
    (images) => computeFeatures(m, images.map((i) => byImage.get(i)!), c),
    { batchSize: c.evalBatchSize, onProgress: (done, total) => report(Math.ceil(done / c.evalBatchSize), Math.ceil(total / c.evalBatchSize)) },
  );
  onProgress({ kind: 'phase', phase: 'features', detail: `${what}: ${frames.length} frames (${computed} computed, ${cached} from the cache)` });
  return features;
}
