/**
 * Early stopping with restore-best as a fit callback (keras.callbacks.EarlyStopping(monitor='val_loss' or a
 * validation F1 with mode='max', patience, min_delta, restore_best_weights=True, baseline=...)): after every epoch it updates the
 * EarlyStopping state, keeps a copy of the weights of the best epoch, asks fit to stop after `patience` epochs
 * without improvement, and at the end of the stage assigns the best weights back.
 *
 * `baseline(value)` records an epoch 0 (the model before the stage, e.g. the stage-1 model before fine-tuning):
 * if no epoch improves on it, the stage ends with the weights it started from.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpochRecord } from '../../results/schema';
import { assignModelTensors, modelTensors, type NamedTensor } from '../checkpoint';
import type { Callback, FitState } from '../fit';
import type { Monitor } from '../config';
import { EarlyStopping, type EarlyStoppingState } from './early_stopping';

/** The value of an epoch record that `monitor` watches (lower is better for 'val_loss', higher for 'val_mean_f1'). */
export function monitoredValue(monitor: Monitor, r: { valLoss: number; valMeanF1: number }): number {
  return monitor === 'val_mean_f1' ? r.valMeanF1 : r.valLoss;
}

function cloneTensors(ts: NamedTensor[]): NamedTensor[] {
  return ts.map((t) => ({ name: t.name, tensor: t.tensor.clone() }));
}

export class RestoreBestCallback implements Callback {
  readonly es: EarlyStopping;
  readonly monitor: Monitor;
  /** Weights of the best epoch so far (owned here), or null before the first one. */
  best: NamedTensor[] | null;
  /** True when `best` changed since the checkpoint callback last saved it. */
  bestDirty = false;

  constructor(
    readonly model: tf.LayersModel,
    opts: { patience: number; minDelta: number; state?: EarlyStoppingState; best?: NamedTensor[] | null; monitor?: Monitor },
  ) {
    this.monitor = opts.monitor ?? 'val_loss';
    this.es = new EarlyStopping(opts.patience, opts.minDelta, opts.state, this.monitor === 'val_mean_f1' ? 'max' : 'min');
    this.best = opts.best ?? null;
  }

  get state(): EarlyStoppingState {
    return this.es.state;
  }

  /** Epoch 0: the validation metrics of the model as it is now; its weights are the best so far. */
  baseline(v: { valLoss: number; valMeanF1: number }): void {
    this.es.update(0, monitoredValue(this.monitor, v));
    this.snapshot();
  }

  private snapshot(): void {
    if (this.best) tf.dispose(this.best.map((b) => b.tensor));
    this.best = cloneTensors(modelTensors(this.model));
    this.bestDirty = true;
  }

  onEpochEnd(s: FitState, r: EpochRecord): void {
    const { improved, stop } = this.es.update(r.epoch, monitoredValue(this.monitor, r));
    s.improved = improved;
    if (improved) this.snapshot();
    if (stop) s.stop = true;
  }

  onFitEnd(s: FitState): void {
    if (!this.best) return;
    assignModelTensors(this.model, this.best, `best weights of stage ${s.stage}`);
    tf.dispose(this.best.map((b) => b.tensor));
    this.best = null;
  }
}
