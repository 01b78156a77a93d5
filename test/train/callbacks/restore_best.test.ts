import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { RestoreBestCallback } from '../../../lib/train/callbacks/restore_best';
import type { FitState } from '../../../lib/train/fit';

/** A one-weight model whose weight we set to the epoch number, so the restored weight names the restored epoch. */
function oneWeightModel(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
  return m;
}

function setWeight(m: tf.LayersModel, v: number): void {
  m.layers[0].setWeights([tf.tensor2d([[v]])]);
}

/** Runs the callback over epochs 1..n with the given validation records; returns the restored weight. */
function restoredEpoch(monitor: 'val_loss' | 'val_mean_f1' | undefined, records: { valLoss: number; valMeanF1: number }[]): number {
  const m = oneWeightModel();
  const cb = new RestoreBestCallback(m, { patience: 0, minDelta: 0, monitor });
  setWeight(m, 0);
  cb.baseline({ valLoss: 10, valMeanF1: 0 });
  const s = { stage: 2, stop: false, improved: false } as unknown as FitState;
  records.forEach((r, i) => {
    setWeight(m, i + 1);
    cb.onEpochEnd(s, { epoch: i + 1, loss: 0, lr: 0, seconds: 0, ...r });
  });
  cb.onFitEnd(s);
  const w = (m.layers[0].getWeights()[0].dataSync() as Float32Array)[0];
  return w;
}

// validation loss lowest at epoch 2 while F1 still rises to epoch 4 (what fine-tuning did on fold 1)
const RECORDS = [
  { valLoss: 0.8, valMeanF1: 0.5 },
  { valLoss: 0.6, valMeanF1: 0.57 },
  { valLoss: 0.62, valMeanF1: 0.6 },
  { valLoss: 0.65, valMeanF1: 0.65 },
];

test("restore-best watches validation loss by default and restores its lowest epoch", () => {
  assert.equal(restoredEpoch(undefined, RECORDS), 2);
  assert.equal(restoredEpoch('val_loss', RECORDS), 2);
});

test("monitor 'val_mean_f1' restores the epoch with the highest validation F1", () => {
  assert.equal(restoredEpoch('val_mean_f1', RECORDS), 4);
});

test('no epoch beats the baseline: the weights the stage started from come back', () => {
  const worse = RECORDS.map((r) => ({ valLoss: r.valLoss + 20, valMeanF1: -1 }));
  assert.equal(restoredEpoch('val_mean_f1', worse), 0);
  assert.equal(restoredEpoch('val_loss', worse), 0);
});
