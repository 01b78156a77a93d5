/**
 * lib/train: typed experiment configs and presets, the two-stage transfer (trainTwoStage), early stopping,
 * checkpoints and resume, progress reporting, sweeps and shards, test-fold evaluation.
 */
export * from './config';
export * from './run_id';
export * from './presets';
export * from './callbacks/early_stopping';
export * from './callbacks/restore_best';
export * from './callbacks/checkpoint';
export * from './callbacks/progress';
export * from './fit';
export * from './features';
export * from './head_batch_norm';
export * from './results_file';
export * from './progress';
export * from './sweep';
export * from './checkpoint';
export * from './evaluate';
export * from './synthetic';
export * from './two_stage';
export * from './experiment_data';
export * from './eval_run';
export * from './predict';
export * from './micro_batch';
