/**
 * `fer-au data check|synth|prepare`: validate and summarise a dataset copy, write the synthetic DISFA set
 * (./data_synth), or prepare a DISFA copy once (./data_prepare). Contract: shared/design.md (CLI).
 */
import * as path from 'path';
import { checkDataset, type CheckReport } from '../data/check';
import { formatProblem, type DatasetName } from '../data/types';
import { parseCommandArgs } from './args';
import { UsageError, type Command } from './types';

interface SynthModule {
  runSynth(argv: string[]): Promise<number>;
  usage?: string;
  SYNTH_USAGE?: string;
}

const CHECK_USAGE = `usage: fer-au data check --dataset disfa|celeba|bosphorus --root DIR [--json] [options]

Validates a dataset copy and summarises it: subjects, frames, label counts (presence = intensity >= 2),
DISFA's three folds, and every problem found (file:line), not just the first. Exits 1 when there are problems.

  --dataset NAME     disfa | celeba | bosphorus
  --root DIR         the dataset root (DISFA: holds ActionUnit_Labels/ and Frames_LeftCamera/ or Videos_LeftCamera/)
  --json             print one JSON object: {dataset, root, subjects, aus, positives, threshold, folds, problems, ...}
  --manifest FILE    dataset manifest (default data-manifests/<dataset>.json)
  --aus LIST         DISFA/Bosphorus: comma-separated AUs to check (default: all with label files)
  --full             DISFA: also require the complete dataset (27 subjects, 4845 frames each, SN010 4844)
  --attributes LIST  CelebA: comma-separated attributes used as the target (default: the manifest's)`;

function synthModule(): SynthModule {
  return require('./data_synth') as SynthModule;
}

function prepareModule(): { runPrepare(argv: string[]): Promise<number>; PREPARE_USAGE: string } {
  return require('./data_prepare') as { runPrepare(argv: string[]): Promise<number>; PREPARE_USAGE: string };
}

function synthUsage(): string {
  try {
    const m = synthModule();
    return (m.usage ?? m.SYNTH_USAGE ?? '').trim();
  } catch {
    return 'usage: fer-au data synth --out DIR [--subjects 27] [--frames N] [--size PX] [--seed S]';
  }
}

function list(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  const items = String(v).split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError('empty list');
  return items;
}

function printReport(r: CheckReport): void {
  const out: string[] = [];
  out.push(`${r.dataset} at ${r.root}`);
  if (r.synthetic) out.push(`  synthetic set (${String(r.synthetic.generator ?? 'generator unknown')}, seed ${String(r.synthetic.seed ?? '?')}, aligned ${String(r.synthetic.aligned)})`);
  out.push(`  subjects: ${r.subjects.length}   frames indexed: ${r.frames}   labels: ${r.aus.join(' ')}`);
  for (const s of r.subjects) {
    const src = s.video !== undefined ? `video ${s.video}${s.videoFrames !== undefined ? ` (${s.videoFrames} frames)` : ''}` : `${s.images ?? 0} images`;
    const lm = s.landmarks !== undefined ? `   ${s.landmarks} landmark files` : '';
    out.push(`    ${s.id.padEnd(8)} ${String(s.frames).padStart(7)} labelled   ${src}${lm}`);
  }
  out.push(`  positives (intensity >= ${r.threshold}): ${r.aus.map((a) => `${a} ${r.positives[a]}`).join(', ')}`);
  r.folds.forEach((f, k) => out.push(`  fold ${k + 1} test subjects: ${f.join(' ') || '(none)'}`));
  for (const w of r.warnings ?? []) out.push(`  warning: ${formatProblem(w)}`);
  if (r.problems.length) {
    out.push(`  ${r.problems.length} problem(s):`);
    for (const p of r.problems) out.push(`    ${formatProblem(p)}`);
  } else out.push('  no problems found');
  process.stdout.write(out.join('\n') + '\n');
}

async function runCheck(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    dataset: { type: 'string' },
    root: { type: 'string' },
    json: { type: 'boolean' },
    manifest: { type: 'string' },
    aus: { type: 'string' },
    full: { type: 'boolean' },
    attributes: { type: 'string' },
  });
  const dataset = values.dataset as string | undefined;
  if (!dataset) throw new UsageError('--dataset is required (disfa, celeba or bosphorus)');
  if (!['disfa', 'celeba', 'bosphorus'].includes(dataset)) throw new UsageError(`--dataset must be disfa, celeba or bosphorus, got '${dataset}'`);
  if (!values.root) throw new UsageError('--root is required');
  let report: CheckReport;
  try {
    report = checkDataset(dataset as DatasetName, path.resolve(String(values.root)), {
      manifest: values.manifest as string | undefined,
      aus: list(values.aus),
      full: Boolean(values.full),
      attributes: list(values.attributes),
    });
  } catch (err) {
    // Bad arguments that only the data can reveal (an attribute not in the file, an unknown AU, a broken manifest).
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
  if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
  else printReport(report);
  return report.problems.length ? 1 : 0;
}

export const command: Command = {
  name: 'data',
  summary: 'check a dataset copy (DISFA, CelebA, Bosphorus), write the synthetic DISFA set, or prepare DISFA once',
  get usage(): string {
    return ['usage: fer-au data check|synth|prepare [options]', '', CHECK_USAGE, '', synthUsage(), '', prepareModule().PREPARE_USAGE].join('\n');
  },
  async run(argv: string[]): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === 'check') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(CHECK_USAGE + '\n');
        return 0;
      }
      return runCheck(rest);
    }
    if (sub === 'synth') return synthModule().runSynth(rest);
    if (sub === 'prepare') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(prepareModule().PREPARE_USAGE + '\n');
        return 0;
      }
      return prepareModule().runPrepare(rest);
    }
    throw new UsageError(sub === undefined ? 'expected a subcommand: check, synth or prepare' : `unknown subcommand '${sub}' (valid: check, synth, prepare)`);
  },
};
