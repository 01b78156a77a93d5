/**
 * `fer-au train`: two-stage transfer learning and test-fold evaluation for one config or a sweep
 * (backbone x loss x fold), optionally one shard of it. Contract: shared/design.md.
 *
 * Spreading a sweep over a cluster (each task runs its share; results merge by file):
 *   sbatch --array=0-8 --gres=gpu:1 --wrap 'FER_BACKEND=tensorflow node bin/fer-au.js train --preset paper --loss bce,lsep,pr --fold all \
 *     --shard ${SLURM_ARRAY_TASK_ID}/9 --data-root /data/DISFA --results results/loss-comparison'
 *   Kubernetes indexed Job (completions: 9): --shard $(JOB_COMPLETION_INDEX)/9
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseCommandArgs } from './args';
import { Command, UsageError } from './types';
// Light imports only (no backend, no models): argument errors come back fast.
import { BACKBONE_NAMES, ConfigError, LOSS_NAMES, loadConfigFile, validateConfig, type BackboneName, type ExperimentConfig, type LossName } from '../train/config';
import { runId } from '../train/run_id';
import { PRESETS } from '../train/presets';
import { createProgressReporter, type ProgressFn } from '../train/progress';
import { expandSweep, parseShard, selectShard } from '../train/sweep';
import { applyWeights, checkRuns, parseWeights } from './run_check';

const USAGE = `usage: fer-au train (--preset NAME | --config FILE) [options]

Two-stage transfer learning (stage 1: the head on cached pooled features; stage 2: fine-tuning with early
stopping) and evaluation on the test fold. Writes a run directory per run (config, per-epoch checkpoints,
history, model, test scores, results.json).

options:
  --preset NAME         ${Object.keys(PRESETS).join(' | ')}
  --config FILE         JSON config: complete, or {"extends": "<preset>", ...overrides}
  --backbone B[,B...]   ${BACKBONE_NAMES.join(' | ')} (several: a sweep)
  --loss L[,L...]       ${LOSS_NAMES.join(' | ')} (several: a sweep)
  --fold K[,K...]       1 | 2 | 3 | all (several: a sweep)
  --seed S[,S...]       experiment seed(s) (data order, augmentation, dropout, initialisation; several: replicates)
  --data-root DIR       DISFA copy (its videos are read through \`fer-au data prepare\`'s set, prepared first if
                        missing), or a prepared set's folder; default: the config's synthetic set, cached
  --weights SOURCE      embedded | none | FILE.h5 | FILE/model.json, or per backbone: B=SOURCE[,B=SOURCE]
                        (e.g. mobilenet_v2=embedded,densenet121=densenet121_..._notop.h5)
  --out DIR             parent folder of the run directories (default runs)
  --results DIR         also write each results file to DIR/<runId>.json (e.g. results/loss-comparison)
  --resume              continue each run from its last checkpoint (finished runs are skipped)
  --shard i/n           run only share i (0-based) of n of the sweep, e.g. $SLURM_ARRAY_TASK_ID/9
  --progress MODE       auto | bar | plain | none (default auto: a bar in a terminal, plain lines otherwise)

examples:
  fer-au train --preset quick
  fer-au train --preset quick --loss bce,lsep,pr --fold all --shard 0/3 --results results/loss-comparison
  fer-au train --preset quick --fold all --seed 1,2,3
`;

function list<T extends string>(value: unknown, name: string, valid: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  for (const it of items) {
    if (!(valid as readonly string[]).includes(it)) throw new UsageError(`--${name}: unknown value '${it}' (valid: ${valid.join(', ')})`);
  }
  if (!items.length) throw new UsageError(`--${name} needs a value`);
  return items as T[];
}

/** `--seed 1,2,3`: distinct non-negative 32-bit integers, in the order given. */
export function parseSeeds(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new UsageError('--seed needs a value');
  for (const it of items) {
    if (!/^\d+$/.test(it) || Number(it) > 0xffffffff) throw new UsageError(`--seed: each seed must be an integer in [0, 2^32 - 1], got '${it}'`);
  }
  const seeds = items.map(Number);
  if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seed: repeated seed in '${value}'`);
  return seeds;
}

/** The runs `fer-au train argv` would do, in order, and the options that apply to all of them. */
export function planTrain(argv: string[]): {
  runs: ExperimentConfig[];
  sweepSize: number;
  out: string;
  results: string | null;
  resume: boolean;
  progress: string;
} {
  const { values } = parseCommandArgs(argv, {
    preset: { type: 'string' },
    config: { type: 'string' },
    backbone: { type: 'string' },
    loss: { type: 'string' },
    fold: { type: 'string' },
    seed: { type: 'string' },
    'data-root': { type: 'string' },
    weights: { type: 'string' },
    out: { type: 'string' },
    results: { type: 'string' },
    resume: { type: 'boolean' },
    shard: { type: 'string' },
    progress: { type: 'string' },
  });
  if ((values.preset === undefined) === (values.config === undefined)) throw new UsageError('give exactly one of --preset NAME or --config FILE');
  let base: ExperimentConfig;
  try {
    if (values.preset !== undefined) {
      const name = String(values.preset);
      if (!(name in PRESETS)) throw new UsageError(`--preset: unknown preset '${name}' (valid: ${Object.keys(PRESETS).join(', ')})`);
      base = structuredClone(PRESETS[name as keyof typeof PRESETS]);
    } else {
      base = loadConfigFile(String(values.config), PRESETS);
    }
    const seeds = parseSeeds(values.seed);
    if (values['data-root'] !== undefined) {
      const root = path.resolve(String(values['data-root']));
      if (!fs.existsSync(root)) throw new UsageError(`--data-root: ${root} does not exist`);
      base.dataset = { ...base.dataset, root };
    }
    const folds = values.fold === 'all' ? (['1', '2', '3'] as const) : list(values.fold, 'fold', ['1', '2', '3'] as const);
    const weights = parseWeights(values.weights);
    const runs = applyWeights(expandSweep(validateConfig(base, values.config ? String(values.config) : `--preset ${values.preset}`), {
      backbones: list<BackboneName>(values.backbone, 'backbone', BACKBONE_NAMES),
      losses: list<LossName>(values.loss, 'loss', LOSS_NAMES),
      folds: folds?.map((f) => Number(f) as 1 | 2 | 3),
      seeds,
    }), weights).map((c) => validateConfig(c, runId(c)));
    // every config of the whole sweep (not only this shard), before any data is read
    checkRuns(runs);
    let selected = runs;
    if (values.shard !== undefined) {
      try {
        selected = selectShard(runs, parseShard(String(values.shard)));
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const progress = String(values.progress ?? 'auto');
    if (!['auto', 'bar', 'plain', 'none'].includes(progress)) throw new UsageError(`--progress must be auto, bar, plain or none, got '${progress}'`);
    return {
      runs: selected,
      sweepSize: runs.length,
      out: path.resolve(String(values.out ?? 'runs')),
      results: values.results !== undefined ? path.resolve(String(values.results)) : null,
      resume: Boolean(values.resume),
      progress,
    };
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * Safety net for batch jobs: if something (e.g. a still-referenced wasm worker thread) keeps the event loop alive
 * after the command finished, exit anyway a few seconds later. The timer is unref'd: it never delays a clean exit.
 */
export function exitWhenDone(graceMs = 5000): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), graceMs).unref();
}

export const command: Command = {
  name: 'train',
  summary: 'two-stage transfer learning and test-fold evaluation (one run, a sweep, or a shard of it)',
  usage: USAGE,
  async run(argv) {
    const plan = planTrain(argv);
    // Loaded here so that argument errors do not wait for TensorFlow.js.
    const { trainTwoStage, disposeAuModel } = require('../train/two_stage') as typeof import('../train/two_stage');
    const { readResults } = require('../results') as typeof import('../results');
    const onProgress: ProgressFn =
      plan.progress === 'none' ? () => undefined : createProgressReporter({ tty: plan.progress === 'auto' ? undefined : plan.progress === 'bar' });
    process.stderr.write(`fer-au train: ${plan.runs.length} of ${plan.sweepSize} run(s)\n`);
    for (const c of plan.runs) {
      const id = runId(c);
      const runDir = path.join(plan.out, id);
      const doneFile = path.join(runDir, 'results.json');
      if (plan.resume && fs.existsSync(doneFile)) {
        const r = readResults(doneFile);
        process.stdout.write(`${id}: already finished (mean F1 ${r.metrics.meanF1.toFixed(4)}): ${doneFile}\n`);
        continue;
      }
      process.stderr.write(`== ${id} -> ${runDir}\n`);
      const { results, model } = await trainTwoStage(c, {
        runDir,
        resume: plan.resume,
        onProgress,
        resultsFile: plan.results ? path.join(plan.results, `${id}.json`) : undefined,
        command: `fer-au train ${argv.join(' ')}`,
      });
      disposeAuModel(model);
      const m = results.metrics;
      process.stdout.write(
        `${id}: mean F1 ${m.meanF1.toFixed(4)} (tuned thresholds ${m.tuned ? m.tuned.meanF1.toFixed(4) : '-'}, ` +
          `all-positive baseline ${m.baseline.allPositive.meanF1.toFixed(4)}), mean AP ${m.meanAp.toFixed(4)}, ` +
          `${results.meta.elapsedS.toFixed(0)} s: ${path.join(runDir, 'results.json')}\n`,
      );
    }
    exitWhenDone();
    return 0;
  },
};
