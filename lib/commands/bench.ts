/**
 * `fer-au bench`: forward and training-step throughput on every backend that loads (one child process per backend
 * and wasm thread count, since a process holds one backend), the stage-1 head on 1024-d features, and optionally
 * the PyTorch peer (bench/pytorch_mobilenet.py) back to back, so ratios come from one run on one machine.
 * Writes results/bench/<date>-<commit>.json atomically and prints a table.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommandArgs, intOption } from './args';
import { Command, UsageError } from './types';
import { writeJsonAtomic } from '../util/fs';

const ROOT = path.join(__dirname, '..', '..');
const NETWORKS = ['ops-mobilenet_v1', 'mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201'];
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];

const usage = `usage: fer-au bench [options]

Forward (batch 32) and training-step (batch 16, Adam, sigmoid cross-entropy) throughput in images/s, median of
--steps timed steps after a warm-up, on every backend that loads; plus a stage-1 head training step on 1024-d
features (BatchNorm-ReLU-Dropout-Dense(8), batch 256) and the PyTorch peer when python3 has torch.
The cpu backend is ~100x slower: it runs ops-mobilenet_v1 at the smallest size only, 1 step of batch 1 (training)
and 2 (forward), and reports per image.

options:
  --backend LIST     backends to try: tensorflow,wasm,cpu (default: all; unavailable ones are reported)
  --skip-cpu         leave out the cpu backend
  --backbones LIST   networks: ops-mobilenet_v1 (this module's op-level MobileNet-v1), mobilenet_v1, mobilenet_v2,
                     densenet121, densenet201 (lib/models' Keras-exact AU models) (default: all)
  --sizes LIST       input sizes (default: 128,224)
  --steps N          timed steps per case (default: 3)
  --threads LIST     wasm thread counts, one process each (default: 1,<cores>)
  --train-batch N    training batch (default: 16);  --forward-batch N  forward batch (default: 32)
  --no-peer          do not run the PyTorch peer
  --no-save          do not write results/bench/*.json
  --out DIR          where to write the results file (default: results/bench)
  --tag NAME         file name suffix: results/bench/<date>-<commit>-<NAME>.json (to keep several runs of a day)
  --quick            ops-mobilenet_v1 at 128, 2 steps, no cpu, wasm at <cores> threads: about a minute
  --json             print the results JSON instead of the table
`;

interface ChildConfig {
  cases: import('../backend/bench').BenchCase[];
}

function list(value: unknown, name: string, valid?: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list`);
  if (valid) for (const i of items) if (!valid.includes(i)) throw new UsageError(`--${name}: unknown '${i}' (valid: ${valid.join(', ')})`);
  return items;
}

function intList(value: unknown, name: string, min: number, max: number): number[] | undefined {
  const items = list(value, name);
  return items?.map((s) => intOption(s, name, 0, min, max));
}

function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' });
  return r.stdout.trim() + (dirty.stdout.trim() ? '-dirty' : '');
}

/** In the child: init the backend named by FER_BACKEND and run the cases; prints one JSON line. */
async function runChild(config: ChildConfig): Promise<number> {
  const { initBackend } = require('../backend') as typeof import('../backend');
  const { runCase } = require('../backend/bench') as typeof import('../backend/bench');
  let info;
  try {
    info = await initBackend();
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: (err as Error).message.split('\n')[0] }) + '\n');
    return 0;
  }
  const results = [];
  for (const c of config.cases) {
    const r = await runCase(c);
    process.stderr.write(`  ${info.name}/${info.threads}t ${c.network} ${c.inputSize} ${c.mode}: ${r.error ?? r.imagesPerS.toFixed(2) + ' img/s'}\n`);
    results.push(r);
  }
  process.stdout.write(JSON.stringify({ info, results }) + '\n');
  return 0;
}

function lastJsonLine(out: string): unknown {
  const lines = out.trim().split('\n').filter((l) => l.startsWith('{'));
  if (lines.length === 0) return null;
  return JSON.parse(lines[lines.length - 1]);
}

function spawnChild(backend: string, threads: number | undefined, config: ChildConfig): Record<string, unknown> {
  const env = { ...process.env, FER_BACKEND: backend } as NodeJS.ProcessEnv;
  if (threads !== undefined) env.FER_WASM_THREADS = String(threads);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'fer-au.js'), 'bench', '--child', JSON.stringify(config)], {
    cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20,
  });
  const parsed = lastJsonLine(r.stdout ?? '') as Record<string, unknown> | null;
  if (!parsed) return { error: `child exited with ${r.status ?? r.signal} and no result` };
  return parsed;
}

/** FER_PYTHON, else the first of python3 and Debian's /usr/bin/python3 that can import torch. */
function findPython(): string | null {
  const candidates = process.env.FER_PYTHON ? [process.env.FER_PYTHON] : ['python3', '/usr/bin/python3'];
  for (const p of candidates) {
    const r = spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return p;
  }
  return null;
}

function runPeer(sizes: number[], threads: number[], steps: number, trainBatch: number, forwardBatch: number): Record<string, unknown> {
  const script = path.join(ROOT, 'bench', 'pytorch_mobilenet.py');
  const python = findPython();
  if (!python) return { error: 'no python3 with torch found (apt-get install -y python3-torch, or set FER_PYTHON)' };
  const r = spawnSync(python, [script, '--sizes', sizes.join(','), '--threads', threads.join(','), '--steps', String(steps),
    '--train-batch', String(trainBatch), '--forward-batch', String(forwardBatch), '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20,
  });
  if (r.error) return { error: `${python}: ${r.error.message}` };
  const parsed = lastJsonLine(r.stdout ?? '') as Record<string, unknown> | null;
  return parsed ?? { error: `peer exited with ${r.status}` };
}

interface Row { backend: string; threads: number; network: string; size: number; mode: string; batch: number; imgS: number; msImg: number; error?: string }

function table(rows: Row[]): string {
  const head = ['backend', 'threads', 'network', 'size', 'mode', 'batch', 'img/s', 'ms/img'];
  const body = rows.map((r) => [r.backend, String(r.threads), r.network, String(r.size), r.mode, String(r.batch),
    r.error ? 'error' : r.imgS >= 100 ? r.imgS.toFixed(0) : r.imgS.toFixed(2), r.error ? r.error.slice(0, 60) : r.msImg.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i >= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    backend: { type: 'string' }, 'skip-cpu': { type: 'boolean' }, backbones: { type: 'string' }, sizes: { type: 'string' },
    steps: { type: 'string' }, threads: { type: 'string' }, 'train-batch': { type: 'string' }, 'forward-batch': { type: 'string' },
    'no-peer': { type: 'boolean' }, 'no-save': { type: 'boolean' }, out: { type: 'string' }, tag: { type: 'string' }, quick: { type: 'boolean' },
    json: { type: 'boolean' }, child: { type: 'string' },
  });
  if (typeof values.child === 'string') return runChild(JSON.parse(values.child) as ChildConfig);

  const t0 = Date.now();
  const quick = values.quick === true;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // FER_BACKEND forces one backend here as everywhere: a bad value or an unavailable backend fails in one line.
  const forced = process.env.FER_BACKEND ? process.env.FER_BACKEND.trim().toLowerCase() : undefined;
  if (forced !== undefined && !BACKENDS.includes(forced)) {
    throw new UsageError(`FER_BACKEND must be one of ${BACKENDS.join(', ')}, got '${process.env.FER_BACKEND}'`);
  }
  let backends = forced ? [forced] : list(values.backend, 'backend', BACKENDS) ?? (quick ? ['tensorflow', 'wasm'] : BACKENDS);
  if (values['skip-cpu']) backends = backends.filter((b) => b !== 'cpu');
  const networks = list(values.backbones, 'backbones', NETWORKS) ?? (quick ? ['ops-mobilenet_v1'] : NETWORKS);
  const sizes = intList(values.sizes, 'sizes', 32, 1024) ?? (quick ? [128] : [128, 224]);
  const steps = intOption(values.steps, 'steps', quick ? 2 : 3, 1, 1000);
  const threads = intList(values.threads, 'threads', 1, 256) ?? (quick || cores === 1 ? [cores] : [1, cores]);
  const trainBatch = intOption(values['train-batch'], 'train-batch', 16, 1, 4096);
  const forwardBatch = intOption(values['forward-batch'], 'forward-batch', 32, 1, 4096);

  const deviceCases = (): import('../backend/bench').BenchCase[] => {
    const cases: import('../backend/bench').BenchCase[] = [];
    for (const network of networks as import('../backend/bench').BenchNetwork[]) {
      for (const inputSize of sizes) {
        cases.push({ network, mode: 'forward', inputSize, batch: forwardBatch, warmup: 1, steps });
        cases.push({ network, mode: 'train', inputSize, batch: trainBatch, warmup: 1, steps });
      }
    }
    cases.push({ network: 'head', mode: 'train', inputSize: 1024, batch: 256, warmup: 3, steps: Math.max(steps, 10) });
    return cases;
  };
  const cpuCases = (): import('../backend/bench').BenchCase[] => [
    { network: 'ops-mobilenet_v1', mode: 'forward', inputSize: Math.min(...sizes), batch: 2, warmup: 0, steps: 1 },
    { network: 'ops-mobilenet_v1', mode: 'train', inputSize: Math.min(...sizes), batch: 1, warmup: 0, steps: 1 },
    { network: 'head', mode: 'train', inputSize: 1024, batch: 256, warmup: 1, steps: 3 },
  ];

  const runs: Record<string, unknown>[] = [];
  const runBackend = (backend: string): void => {
    const configs = backend === 'wasm' ? threads : [undefined];
    for (const t of configs) {
      process.stderr.write(`bench: ${backend}${t ? ` (${t} thread${t > 1 ? 's' : ''})` : ''} ...\n`);
      const out = spawnChild(backend, t, { cases: backend === 'cpu' ? cpuCases() : deviceCases() });
      if (out.error && forced) throw new Error(String(out.error));
      runs.push({ backend, requestedThreads: t ?? null, ...out });
      if (out.error) process.stderr.write(`bench: ${backend} skipped: ${String(out.error)}\n`);
    }
  };
  // The peer runs right after the fast backends and before the slow cpu backend, so that wasm and PyTorch are
  // measured back to back under the same machine load.
  for (const backend of backends.filter((b) => b !== 'cpu')) runBackend(backend);
  let peer: Record<string, unknown> | null = null;
  if (!values['no-peer'] && networks.some((n) => n === 'ops-mobilenet_v1' || n === 'mobilenet_v1')) {
    process.stderr.write('bench: PyTorch peer (bench/pytorch_mobilenet.py) ...\n');
    peer = runPeer(sizes, threads, steps, trainBatch, forwardBatch);
    if (peer.error) process.stderr.write(`bench: peer skipped: ${String(peer.error)}\n`);
  }
  if (backends.includes('cpu')) runBackend('cpu');

  const rows: Row[] = [];
  for (const r of runs) {
    const info = r.info as { name: string; threads: number } | undefined;
    for (const res of (r.results as import('../backend/bench').BenchResult[] | undefined) ?? []) {
      rows.push({ backend: info?.name ?? String(r.backend), threads: info?.threads ?? 1, network: res.network, size: res.inputSize, mode: res.mode,
        batch: res.batch, imgS: res.imagesPerS, msImg: res.msPerImage, error: res.error });
    }
  }
  for (const p of (peer?.results as { threads: number; inputSize: number; mode: string; batch: number; imagesPerS: number }[] | undefined) ?? []) {
    rows.push({ backend: `pytorch ${String(peer?.torchVersion ?? '')}`, threads: p.threads, network: 'mobilenet_v1 (torch)', size: p.inputSize, mode: p.mode,
      batch: p.batch, imgS: p.imagesPerS, msImg: 1000 / p.imagesPerS });
  }
  // wasm / PyTorch ratios at equal thread counts, and wasm / cpu per image.
  const ratios: { what: string; value: number }[] = [];
  for (const r of rows.filter((x) => x.backend === 'wasm' && x.network === 'ops-mobilenet_v1' && !x.error)) {
    const p = rows.find((x) => x.backend.startsWith('pytorch') && x.threads === r.threads && x.size === r.size && x.mode === r.mode);
    if (p) ratios.push({ what: `wasm/pytorch ${r.mode} ${r.size}px ${r.threads}t`, value: r.imgS / p.imgS });
    const c = rows.find((x) => x.backend === 'cpu' && x.network === r.network && x.size === r.size && x.mode === r.mode && !x.error);
    if (c) ratios.push({ what: `wasm(${r.threads}t)/cpu ${r.mode} ${r.size}px per image`, value: r.imgS / c.imgS });
  }

  const commit = gitCommit();
  const date = new Date().toISOString();
  const result = {
    schemaVersion: 1,
    meta: {
      date, gitCommit: commit, command: `fer-au bench ${argv.join(' ')}`.trim(),
      host: { hostname: os.hostname(), cpus: cores, cpuModel: os.cpus()[0]?.model ?? 'unknown', loadAvg: os.loadavg(), node: process.version, platform: `${process.platform}-${process.arch}` },
      elapsedS: (Date.now() - t0) / 1000,
    },
    config: { backends, networks, sizes, steps, threads, trainBatch, forwardBatch, headBatch: 256 },
    runs, peer, ratios,
  };
  if (!values['no-save']) {
    const dir = typeof values.out === 'string' ? path.resolve(values.out) : path.join(ROOT, 'results', 'bench');
    const tag = typeof values.tag === 'string' ? values.tag : '';
    if (tag && !/^[\w.-]+$/.test(tag)) throw new UsageError(`--tag may hold letters, digits, '.', '_' and '-' only, got '${tag}'`);
    const file = path.join(dir, `${date.slice(0, 10)}-${commit}${tag ? `-${tag}` : ''}.json`);
    writeJsonAtomic(file, result);
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file) || file}\n`);
  }
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(table(rows) + '\n');
    if (ratios.length) process.stdout.write('\n' + ratios.map((r) => `${r.what}: ${r.value.toFixed(2)}`).join('\n') + '\n');
    process.stdout.write(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cores} cores (shared machines: compare ratios within one run)\n`);
  }
  return 0;
}

export const command: Command = {
  name: 'bench',
  summary: 'forward/training throughput per backend (and the PyTorch peer); writes results/bench/',
  usage,
  run,
};
