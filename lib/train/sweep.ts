/**
 * Sweeps: a grid of independent runs (backbone x loss x fold) and its split into shards, so a Slurm array job
 * or a Kubernetes indexed job spreads the grid over many machines; results merge by file (one per run).
 *
 * Example (Slurm, 12 runs over 4 tasks; SLURM_ARRAY_TASK_ID is 0-based like --shard):
 *   sbatch --array=0-3 --gres=gpu:1 --wrap \
 *     'node bin/fer-au.js train --preset paper --backbone mobilenet_v1 --loss bce,lsep,pr --fold 1,2,3 --shard ${SLURM_ARRAY_TASK_ID}/4 --results results/loss-comparison'
 * Kubernetes indexed Job: `--shard $(JOB_COMPLETION_INDEX)/<completions>`.
 */
import type { BackboneName, ExperimentConfig, LossName } from './config';
import { withoutScoreCorrection } from './config';

export interface SweepAxes {
  backbones?: BackboneName[];
  losses?: LossName[];
  folds?: (1 | 2 | 3)[];
  /** Experiment seeds (replicates): each setting runs once per seed. */
  seeds?: number[];
}

/** One share of a sweep: 0-based index i of n shards. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses 'i/n' (0 <= i < n). Throws with the bad text. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard must look like i/n (e.g. 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard: n must be >= 1, got '${text}'`);
  if (index >= count) throw new Error(`--shard: i must be in [0, n-1] (0-based, like SLURM_ARRAY_TASK_ID), got '${text}'`);
  return { index, count };
}

/**
 * The grid in a fixed order (backbone, then loss, then seed, then fold: the folds of one setting are spread over
 * shards). Axes left undefined keep the base config's value.
 */
export function expandSweep(base: ExperimentConfig, axes: SweepAxes): ExperimentConfig[] {
  const backbones = axes.backbones?.length ? axes.backbones : [base.backbone];
  const losses = axes.losses?.length ? axes.losses : [base.loss];
  const folds = axes.folds?.length ? axes.folds : [base.fold];
  const seeds = axes.seeds?.length ? axes.seeds : [base.seed];
  const out: ExperimentConfig[] = [];
  for (const backbone of backbones) {
    for (const loss of losses) {
      for (const seed of seeds) {
        for (const fold of folds) {
          const c = { ...structuredClone(base), backbone, loss, seed, fold };
          out.push(loss === 'bce-weighted' ? c : withoutScoreCorrection(c)); // the correction is weighted BCE's
        }
      }
    }
  }
  return out;
}

/** The runs of shard i/n: items j with j mod n == i (round-robin keeps shard sizes within one of each other). */
export function selectShard<T>(items: T[], shard: Shard): T[] {
  return items.filter((_, j) => j % shard.count === shard.index);
}
