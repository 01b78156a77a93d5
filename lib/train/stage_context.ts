/** What both stages of trainTwoStage work on: the resolved config, model, data, loss and the run's state. */
import type { LossFn } from '../losses';
import type { AuModel } from '../models';
import type { CheckpointState, RunDir } from './checkpoint';
import type { RunState } from './callbacks/checkpoint';
import type { ExperimentConfig } from './config';
import type { ExperimentData } from './experiment_data';
import type { ProgressFn } from './progress';

export interface StageContext {
  c: ExperimentConfig;
  m: AuModel;
  d: ExperimentData;
  loss: LossFn;
  /** Logit shift applied whenever the model is scored for results (config posWeightCorrection; null: none). */
  scoreShift: number[] | null;
  run: RunDir;
  runId: string;
  /** The checkpoint resumed from, or null on a fresh start. */
  ckpt: CheckpointState | null;
  state: RunState;
  onProgress: ProgressFn;
  /** Cache root for features (default lib/data defaultCacheDir). */
  cacheDir?: string;
}
