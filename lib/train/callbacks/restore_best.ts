/**
 * Early stopping with restore-best as a fit callback (keras.callbacks.EarlyStopping(monitor='val_loss',
 * patience, min_delta, restore_best_weights=True, baseline=...)): after every epoch it updates the
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
import { EarlyStopping, type EarlyStoppingState } from './early_stopping';

function cloneTensors(ts: NamedTensor[]): NamedTensor[] {
  return ts.map((t) => ({ name: t.name, tensor: t.tensor.clone() }));
}

export class RestoreBestCallback implements Callback {
  readonly es: EarlyStopping;
  /** Weights of the best epoch so far (owned here), or null before the first one. */
  best: NamedTensor[] | null;
  /** True when `best` changed since the checkpoint callback last saved it. */
  bestDirty = false;

  constructor(
    readonly model: tf.LayersModel,
    opts: { patience: number; minDelta: number; state?: EarlyStoppingState; best?: NamedTensor[] | null },
  ) {
    this.es = new EarlyStopping(opts.patience, opts.minDelta, opts.state);
    this.best = opts.best ?? null;
  }

  get state(): EarlyStoppingState {
    return this.es.state;
  }

  /** Epoch 0: the monitored value of the model as it is now; its weights are the best so far. */
  baseline(value: number): void {
    this.es.update(0, value);
    this.snapshot();
  }

  private snapshot(): void {
    if (this.best) tf.dispose(this.best.map((b) => b.tensor));
    this.best = cloneTensors(modelTensors(this.model));
    this.bestDirty = true;
  }

  onEpochEnd(s: FitState, r: EpochRecord): void {
    const { improved, stop } = this.es.update(r.epoch, r.valLoss);
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
