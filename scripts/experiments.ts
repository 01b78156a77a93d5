/**
 * Trains (or reuses) the runs of the report's experiments for several folds and seeds, sharded, into results/:
 * the command behind the committed replicates (README "What it finds"). Reuse-or-train, so a rerun only trains
 * what is missing, and an interrupted run is retrained from the start of its run directory's last checkpoint.
 *
 *   node -r ts-node/register/transpile-only scripts/experiments.ts \
 *     --experiments transfer-stages,initialisation --folds 1,2,3 --seeds 1,2 [--shard 0/2 | --jobs 2] [--results DIR]
 *
 * (`npm run experiments -- ...`). Experiments: transfer-stages, initialisation, loss-comparison, backbone-survey.
 * `--jobs N` runs the shards 0/N .. N-1/N as N child processes at once, each with FER_WASM_THREADS = cores / N
 * (lib/experiments/jobs.ts: on 2 cores two 1-thread processes train ~1.4x faster than one 2-thread process), their
 * progress lines prefixed with [k/N]; it fails if any child fails.
 */
import { spawn } from 'node:child_process';
import { initBackend } from '../lib/backend';
import {
  backboneSurveyExperiments,
  ensureRuns,
  initialisationExperiments,
  jobPlan,
  prefixLines,
  shardArgs,
  lossComparisonExperiments,
  runsProgress,
  transferStagesExperiments,
  type ExperimentOptions,
} from '../lib/experiments';
import type { ExperimentConfig } from '../lib/train/config';
import { PRESETS } from '../lib/train/presets';
import { coreCount } from '../lib/util/cores';

const BUILDERS: Record<string, (base: ExperimentConfig, o: ExperimentOptions) => ExperimentConfig[]> = {
  'transfer-stages': transferStagesExperiments,
  initialisation: initialisationExperiments,
  'loss-comparison': lossComparisonExperiments,
  'backbone-survey': backboneSurveyExperiments,
};

function arg(name: string, fallback: string | null): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    if (fallback === null) throw new Error(`experiments: --${name} is required`);
    return fallback;
  }
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`experiments: --${name} needs a value`);
  return v;
}

function ints(name: string, v: string): number[] {
  const out = v.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 0)) throw new Error(`experiments: --${name} takes comma-separated integers, got '${v}'`);
  return out;
}

/** Runs the shards as `plan.jobs` children of this script; resolves to the first nonzero exit code, or 0. */
async function runJobs(runs: number, jobs: number): Promise<number> {
  const cores = coreCount();
  const plan = jobPlan(jobs, cores, runs, process.env.FER_WASM_THREADS);
  process.stderr.write(`experiments: ${runs} run(s) in ${plan.jobs} processes at ${plan.threadsPerJob} wasm thread(s) each\n`);
  const codes = await Promise.all(Array.from({ length: plan.jobs }, (_, k) => new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...shardArgs(process.argv.slice(2), k, plan.jobs)], {
      env: { ...process.env, FER_WASM_THREADS: String(plan.threadsPerJob) },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    const carry = { rest: '' };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => process.stderr.write(prefixLines(`[${k}/${plan.jobs}] `, carry, chunk)));
    child.on('close', (code, signal) => {
      if (carry.rest) process.stderr.write(`[${k}/${plan.jobs}] ${carry.rest}\n`);
      resolve(code ?? (signal ? 1 : 0));
    });
  })));
  return codes.find((c) => c !== 0) ?? 0;
}

async function main(): Promise<void> {
  const names = arg('experiments', null).split(',');
  const unknown = names.filter((n) => !(n in BUILDERS));
  if (unknown.length) throw new Error(`experiments: unknown experiment(s) ${unknown.join(', ')}; valid: ${Object.keys(BUILDERS).join(', ')}`);
  const folds = ints('folds', arg('folds', '1')) as (1 | 2 | 3)[];
  if (folds.some((k) => k < 1 || k > 3)) throw new Error(`experiments: --folds must be 1..3, got ${folds.join(',')}`);
  const seeds = ints('seeds', arg('seeds', '1'));
  const preset = arg('preset', 'quick');
  if (!(preset in PRESETS)) throw new Error(`experiments: --preset must be one of ${Object.keys(PRESETS).join(', ')}, got '${preset}'`);
  const [i, n] = ints('shard', arg('shard', '0/1').replace('/', ','));
  if (!(n >= 1 && i < n)) throw new Error(`experiments: --shard i/n needs 0 <= i < n, got ${i}/${n}`);
  const base = PRESETS[preset as keyof typeof PRESETS];
  const all = names.flatMap((name) => BUILDERS[name](base, { folds, seeds }));
  const jobs = ints('jobs', arg('jobs', '1'))[0];
  if (jobs < 1) throw new Error(`experiments: --jobs must be a positive integer, got ${jobs}`);
  if (jobs > 1) {
    if (process.argv.includes('--shard')) throw new Error('experiments: give --jobs or --shard, not both');
    process.exitCode = await runJobs(all.length, jobs);
    return;
  }
  const mine = all.filter((_, k) => k % n === i);
  await initBackend();
  const resultsDir = process.argv.includes('--results') ? arg('results', null) : undefined;
  const p = runsProgress((line) => process.stderr.write(`${line}\n`));
  const command = `scripts/experiments.ts ${process.argv.slice(2).join(' ')}`;
  const t0 = Date.now();
  await ensureRuns(mine, { resultsDir, command, onProgress: (e) => e.kind !== 'step' && p.onProgress(e), onRun: p.onRun });
  process.stderr.write(`experiments: ${mine.length} run(s) of ${all.length} (shard ${i}/${n}) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
