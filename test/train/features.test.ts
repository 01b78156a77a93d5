import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { FeatureCache } from '../../lib/data/feature_cache';
import { buildAuModel } from '../../lib/models';
import { computeFeatures, disposeAuModel, extractFeatures, featureCacheFor, freezeHeadBatchNorm, headBatchNormLayer, loadExperimentData, PRESETS, setHeadBatchNormStats, type ExperimentConfig } from '../../lib/train';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-features-'));
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));

// pretrained MobileNet-v1 at 32 px (random backbones are not cached), batches of 8
const c: ExperimentConfig = { ...structuredClone(PRESETS.tiny), alpha: 1, weights: 'embedded', evalBatchSize: 8 };

test('a killed feature extraction resumes from the cache without recomputing what was written', async () => {
  await initBackend();
  const d = await loadExperimentData(c, { cacheDir });
  const m = await buildAuModel({ backbone: c.backbone, inputSize: c.inputSize, numAus: c.aus.length, weights: 'embedded', alpha: 1 });
  const frames = d.train.slice(0, 29); // 4 batches: 8 8 8 5
  const reference = await computeFeatures(m, frames, c);
  // "kill" after the second batch: the progress callback throws once two chunks are on disk
  const cache1 = featureCacheFor(m, c, cacheDir)!;
  let steps = 0;
  await assert.rejects(
    extractFeatures(m, frames, c, cache1, (e) => {
      if (e.kind === 'step' && e.step > 0 && ++steps === 2) throw new Error('killed');
    }),
    /killed/,
  );
  cache1.close();
  const cache2 = featureCacheFor(m, c, cacheDir)!;
  assert.equal(cache2.size, 16, 'the two finished batches were written');
  const details: string[] = [];
  const resumed = await extractFeatures(m, frames, c, cache2, (e) => void (e.kind === 'phase' && details.push(e.detail ?? '')), 'train');
  cache2.close();
  assert.deepEqual(details, ['train: 29 frames (13 computed, 16 from the cache)']);
  let maxDiff = 0;
  resumed.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - reference[i]))));
  assert.ok(maxDiff < 1e-5, `resumed features differ from one uninterrupted pass by ${maxDiff}`);
  assert.ok(reference.some((v) => v !== 0));
  // everything is cached now
  const cache3 = new FeatureCache(cache2.key, { cacheDir });
  assert.equal(cache3.size, 29);
  cache3.close();
  disposeAuModel(m);
});

test('setHeadBatchNormStats sets the head BatchNorm moving mean and biased variance of the features', async () => {
  await initBackend();
  const m = await buildAuModel({ backbone: c.backbone, inputSize: 32, numAus: 8, weights: null, alpha: 0.25 });
  const dim = m.featureDim;
  const f = Float32Array.from({ length: 3 * dim }, (_, i) => (i % dim) + (i >= dim ? (i >= 2 * dim ? 4 : 1) : 0)); // rows j, j+1, j+4
  setHeadBatchNormStats(m, f);
  const w = headBatchNormLayer(m).weights;
  const mean = w.find((x) => x.originalName.endsWith('moving_mean'))!.read().dataSync();
  const variance = w.find((x) => x.originalName.endsWith('moving_variance'))!.read().dataSync();
  // mean of (j, j+1, j+4) = j + 5/3; biased variance of (0, 1, 4) = 26/9
  for (const j of [0, 7, dim - 1]) {
    assert.ok(Math.abs(mean[j] - (j + 5 / 3)) < 1e-4, `mean[${j}] = ${mean[j]}`);
    assert.ok(Math.abs(variance[j] - 26 / 9) < 1e-4, `variance[${j}] = ${variance[j]}`);
  }
  disposeAuModel(m);
});

test("headBatchNorm 'frozen': a training-mode step leaves the head BatchNorm statistics alone; unfrozen it moves them", async () => {
  await initBackend();
  const stats = (m: Awaited<ReturnType<typeof buildAuModel>>) => headBatchNormLayer(m).weights.map((w) => Array.from(w.read().dataSync()));
  for (const frozen of [true, false]) {
    const m = await buildAuModel({ backbone: c.backbone, inputSize: 32, numAus: 8, weights: 'embedded', alpha: 1, seed: 1 });
    m.unfreezeFrom('conv_dw_13', { freezeBatchNorm: true });
    if (frozen) freezeHeadBatchNorm(m);
    const before = stats(m);
    const { randomUniform, tidy } = tf;
    tidy(() => m.model.apply(randomUniform([4, 32, 32, 3], -1, 1, 'float32', 2), { training: true }) as Tensor);
    const after = stats(m);
    if (frozen) assert.deepEqual(after, before);
    else assert.notDeepEqual(after, before);
    disposeAuModel(m);
  }
});
