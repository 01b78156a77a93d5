/**
 * The checkpoint callback: after every epoch, and once more when the stage ends, it writes an exact checkpoint
 * of the run (lib/train/checkpoint.ts: weights, Adam state, early-stopping state and best weights, history, RNG
 * position, elapsed time, the stage-1 test metrics once known), so `--resume` continues a killed run to the
 * metrics an uninterrupted run reaches. `restoreCheckpoint` is its inverse.
 */
import * as tf from '@tensorflow/tfjs';
import type { EpochRecord, Stage1Metrics } from '../../results/schema';
import {
  assignModelTensors,
  modelTensors,
  optimizerTensors,
  readTensorFile,
  restoreOptimizer,
  type CheckpointState,
  type NamedTensor,
  type RunDir,
} from '../checkpoint';
import type { Callback, FitState } from '../fit';
import type { ProgressFn } from '../progress';
import type { RestoreBestCallback } from './restore_best';

/** What a run carries across stages and sessions besides tensors. */
export interface RunState {
  history: { stage1: EpochRecord[]; stage2: EpochRecord[] };
  /** Test metrics of the restored stage-1 model (set once stage 1 ends). */
  stage1Metrics: Stage1Metrics | null;
  /** Seconds spent so far, this session included. */
  elapsed: () => number;
}

export class CheckpointCallback implements Callback {
  /** Best-weights file named by the last checkpoint of this stage (kept until a newer best is written). */
  private bestFile: string | null;

  constructor(
    readonly run: RunDir,
    readonly runId: string,
    readonly seed: number,
    readonly stage: 1 | 2,
    readonly state: RunState,
    readonly best: RestoreBestCallback,
    readonly onProgress: ProgressFn,
    resumedBestFile: string | null = null,
  ) {
    this.bestFile = resumedBestFile;
  }

  onEpochEnd(s: FitState, r: EpochRecord): Promise<void> {
    return this.write(r.epoch, false, s.model, s.optimizer as tf.AdamOptimizer);
  }

  /** Runs after RestoreBestCallback.onFitEnd (callback order): the stage's final, restored weights. */
  onFitEnd(s: FitState): Promise<void> {
    return this.write(s.history.length, true, s.model, null);
  }

  /** Writes the checkpoint of (stage, epoch); `stageDone` once the stage ended and its best weights are back. */
  async write(epoch: number, stageDone: boolean, model: tf.LayersModel, opt: tf.AdamOptimizer | null): Promise<void> {
    const stage = this.stage;
    const bestChanged = this.best.bestDirty;
    this.best.bestDirty = false;
    const tag = `s${stage}-e${String(epoch).padStart(3, '0')}${stageDone ? '-done' : ''}`;
    if (stageDone) this.bestFile = null;
    else if (bestChanged) this.bestFile = `ckpt/${tag}.best.tensors`;
    const state: CheckpointState = {
      version: 2,
      runId: this.runId,
      stage,
      epoch,
      stageDone,
      history: this.state.history,
      earlyStopping: this.best.state,
      rng: { seed: this.seed, next: stageDone ? { stage: 2, epoch: 1 } : { stage, epoch: epoch + 1 } },
      stateFile: `ckpt/${tag}.state.tensors`,
      bestFile: this.bestFile,
      stage1Metrics: this.state.stage1Metrics,
      elapsedS: this.state.elapsed(),
    };
    // Stage 1 changes only the head (the backbone is frozen and rebuilt identically from the config), so its
    // checkpoints hold the head's weights; stage 2 checkpoints hold the whole model.
    const tensors = [...modelTensors(model), ...(opt && !stageDone ? await optimizerTensors(opt) : [])];
    await this.run.writeCheckpoint(state, tensors, bestChanged && !stageDone ? this.best.best : null);
    // getWeights() makes a fresh scalar for Adam's iteration count on every call; everything else is borrowed
    tensors.filter((t) => /^opt\/\d+\/iter$/.test(t.name)).forEach((t) => t.tensor.dispose());
    this.onProgress({ kind: 'checkpoint', stage, epoch, dir: this.run.dir });
  }
}

/**
 * Restores a checkpoint's weights into `target` (the head for a stage-1 checkpoint, the whole model for stage 2)
 * and, when given, its Adam state into `opt`; returns the best weights it names (the caller owns them) or null.
 */
export async function restoreCheckpoint(run: RunDir, ckpt: CheckpointState, target: tf.LayersModel, opt: tf.AdamOptimizer | null): Promise<NamedTensor[] | null> {
  const saved = readTensorFile(run.resolve(ckpt.stateFile));
  const nModel = target.weights.length;
  assignModelTensors(target, saved.slice(0, nModel), ckpt.stateFile);
  if (opt && saved.length > nModel) await restoreOptimizer(opt, saved.slice(nModel));
  tf.dispose(saved.map((s) => s.tensor));
  return ckpt.bestFile ? readTensorFile(run.resolve(ckpt.bestFile)) : null;
}
