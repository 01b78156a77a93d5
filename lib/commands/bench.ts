/**
 * `fer-au bench`: forward and training-step throughput of lib/bench's networks on every backend that loads, and the
 * PyTorch peer (bench/pytorch_mobilenet.py), paired: for each wasm thread count and input size the wasm cases run and
 * then the peer's, so each pair sees the same machine load. Every case runs in its own child process (a process holds
 * one backend, and the peak RSS recorded per case must be that case's own). Writes
 * results/bench/<date>-<commit>[-<tag>].json atomically and prints a table.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommandArgs, intOption } from './args';
import { Command, UsageError } from './types';
import { writeJsonAtomic } from '../util/fs';
import { hostInfo } from '../bench/host';
import type { BenchCase, BenchNetwork, BenchResult } from '../bench';
import { coreCount } from '../util/cores';

const ROOT = path.join(__dirname, '..', '..');
// lib/bench's BENCH_NETWORKS, listed here so that `fer-au --help` does not load tfjs.
const NETWORKS: readonly BenchNetwork[] = ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201', 'layers-mobilenet_v1', 'ops-mobilenet_v1'];
const BACKENDS = ['tensorflow', 'wasm', 'cpu'];
/** Networks the PyTorch peer's MobileNet-v1 is compared with. */
const PEER_MATCHES: readonly string[] = ['mobilenet_v1', 'layers-mobilenet_v1', 'ops-mobilenet_v1'];

const usage = `usage: fer-au bench [options]

Forward (batch 32) and training-step (batch 16, Adam, sigmoid cross-entropy) throughput in images/s, median of
--steps timed steps after a warm-up, on every backend that loads; plus a stage-1 head training step on 1024-d
features (BatchNorm-ReLU-Dropout-Dense(8), batch 256) and the PyTorch peer when python3 has torch. Each case runs
in a fresh process and records its peak RSS. For each wasm thread count and size, the peer runs right after wasm.
The cpu backend is ~100x slower: it runs mobilenet_v1 at the smallest size only, 1 step of batch 1 (training)
and 2 (forward), and reports per image.

options:
  --backend LIST     backends: tensorflow,wasm,cpu (default: all, unavailable ones reported and skipped; a backend
                     named here that does not load ends the bench with its one-line reason)
  --skip-cpu         leave out the cpu backend
  --backbones LIST   networks (default: all): mobilenet_v1, mobilenet_v2, densenet121, densenet201 (lib/models' AU
                     models, as training builds them), layers-mobilenet_v1 (stock tfjs layers, model.trainOnBatch),
                     ops-mobilenet_v1 (op-level, this project's BatchNorm op)
  --sizes LIST       input sizes (default: 128,224)
  --steps N          timed steps per case (default: 3)
  --threads LIST     wasm and PyTorch thread counts (default: 1,<cores>)
  --train-batch N    training batch (default: 16);  --forward-batch N  forward batch (default: 32)
  --micro-batch N    accumulate each training step of the AU models over micro-batches of N (default: on wasm,
                     chosen from the 4 GiB heap when the batch would not fit, lib/train/micro_batch.ts)
  --paper-step       also time one stage-2 optimizer step of the paper preset (MobileNet-v1 with the embedded
                     weights, 224 px, batch 64, L_pr, BatchNorm frozen; on wasm in micro-batches from the heap)
  --no-peer          do not run the PyTorch peer
  --no-save          do not write results/bench/*.json
  --out DIR          where to write the results file (default: results/bench)
  --tag NAME         file name suffix: results/bench/<date>-<commit>-<NAME>.json (to keep several runs of a day)
  --quick            mobilenet_v1 at 128, 2 steps, no cpu, <cores> threads: about a minute
  --profile          also profile one extra step of every case per kernel (calls, wall and CPU ms; in the JSON
                     and, for training steps, printed): where the time goes and which kernels use both threads
  --json             print the results JSON instead of the table
`;

interface ChildConfig {
  cases: BenchCase[];
}

function list(value: unknown, name: string, valid?: readonly string[]): string[] | undefined {
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
  const { runCase } = require('../bench') as typeof import('../bench');
  const { formatProfile } = require('../bench/kernel_profile') as typeof import('../bench/kernel_profile');
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
    const mem = `${(r.peakRssBytes / 2 ** 30).toFixed(2)} GiB peak RSS`;
    process.stderr.write(`  ${info.name}/${info.threads}t ${c.network} ${c.inputSize} ${c.mode}: ${r.error ?? r.imagesPerS.toFixed(2) + ' img/s'}, ${mem}\n`);
    if (r.profile && c.mode === 'train') process.stderr.write(formatProfile(r.profile, 15, 'cpu').replace(/^/gm, '    ') + '\n');
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

/**
 * The instruction set PyTorch's convolutions run on: oneDNN's own report (ONEDNN_VERBOSE) for one small convolution,
 * e.g. 'Intel AVX-512 with Intel DL Boost and bfloat16 support'; null where it says nothing (no oneDNN).
 */
function peerIsa(python: string): string | null {
  // big enough for PyTorch to hand it to oneDNN (a 1x8x8x8 input takes its own path and oneDNN prints nothing)
  const code = 'import torch\nwith torch.no_grad(): torch.nn.Conv2d(32, 64, 3)(torch.ones(4, 32, 32, 32))';
  const r = spawnSync(python, ['-c', code], { env: { ...process.env, ONEDNN_VERBOSE: '1', DNNL_VERBOSE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const line = (r.stdout ?? '').split('\n').find((l) => l.includes(',isa:'));
  return line ? line.slice(line.indexOf(',isa:') + 5).trim() : null;
}

/** One peer case (one thread count, size and mode) in its own python process, for its own peak RSS. */
function runPeer(python: string, size: number, threads: number, mode: string, steps: number, batch: number): Record<string, unknown> {
  const script = path.join(ROOT, 'bench', 'pytorch_mobilenet.py');
  const r = spawnSync(python, [script, '--sizes', String(size), '--threads', String(threads), '--modes', mode, '--steps', String(steps),
    `--${mode === 'train' ? 'train' : 'forward'}-batch`, String(batch), '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20,
  });
  if (r.error) return { error: `${python}: ${r.error.message}` };
  const parsed = lastJsonLine(r.stdout ?? '') as Record<string, unknown> | null;
  return parsed ?? { error: `peer exited with ${r.status}` };
}

interface Row {
  backend: string; threads: number; network: string; size: number; mode: string; batch: number; imgS: number; msImg: number;
  peakRssBytes?: number; error?: string; microBatch?: number | null;
}

function table(rows: Row[]): string {
  const head = ['backend', 'threads', 'network', 'size', 'mode', 'batch', 'img/s', 'ms/img', 'peak RSS'];
  const body = rows.map((r) => [r.backend, String(r.threads), r.network, String(r.size), r.mode, r.microBatch ? `${r.batch} in ${r.microBatch}s` : String(r.batch),
    r.error ? 'error' : r.imgS >= 100 ? r.imgS.toFixed(0) : r.imgS.toFixed(2), r.error ? r.error.slice(0, 60) : r.msImg.toFixed(1),
    r.peakRssBytes ? `${(r.peakRssBytes / 2 ** 30).toFixed(2)} GiB` : '']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i >= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

interface Plan {
  backends: string[]; networks: BenchNetwork[]; sizes: number[]; steps: number; threads: number[]; trainBatch: number; forwardBatch: number;
  peer: boolean; profile: boolean; forced?: string;
  microBatch: number | null; paperStep: boolean;
  /** --backend was given: a backend in it that does not load fails the bench. */
  named: boolean;
}

function parsePlan(argv: string[]): { plan: Plan; values: Record<string, unknown> } {
  const { values } = parseCommandArgs(argv, {
    backend: { type: 'string' }, 'skip-cpu': { type: 'boolean' }, backbones: { type: 'string' }, sizes: { type: 'string' },
    steps: { type: 'string' }, threads: { type: 'string' }, 'train-batch': { type: 'string' }, 'forward-batch': { type: 'string' },
    'no-peer': { type: 'boolean' }, 'no-save': { type: 'boolean' }, out: { type: 'string' }, tag: { type: 'string' }, quick: { type: 'boolean' },
    json: { type: 'boolean' }, child: { type: 'string' }, profile: { type: 'boolean' },
    'micro-batch': { type: 'string' }, 'paper-step': { type: 'boolean' },
  });
  if (typeof values.child === 'string') return { plan: null as unknown as Plan, values };
  const quick = values.quick === true;
  const cores = coreCount();
  // FER_BACKEND forces one backend here as everywhere: a bad value or an unavailable backend fails in one line.
  const forced = process.env.FER_BACKEND ? process.env.FER_BACKEND.trim().toLowerCase() : undefined;
  if (forced !== undefined && !BACKENDS.includes(forced)) {
    throw new UsageError(`FER_BACKEND must be one of ${BACKENDS.join(', ')}, got '${process.env.FER_BACKEND}'`);
  }
  let backends = forced ? [forced] : list(values.backend, 'backend', BACKENDS) ?? (quick ? ['tensorflow', 'wasm'] : BACKENDS);
  if (values['skip-cpu']) backends = backends.filter((b) => b !== 'cpu');
  const plan: Plan = {
    backends, forced,
    networks: (list(values.backbones, 'backbones', NETWORKS) ?? (quick ? ['mobilenet_v1'] : [...NETWORKS])) as BenchNetwork[],
    sizes: intList(values.sizes, 'sizes', 32, 1024) ?? (quick ? [128] : [128, 224]),
    steps: intOption(values.steps, 'steps', quick ? 2 : 3, 1, 1000),
    threads: intList(values.threads, 'threads', 1, 256) ?? (quick || cores === 1 ? [cores] : [1, cores]),
    trainBatch: intOption(values['train-batch'], 'train-batch', 16, 1, 4096),
    forwardBatch: intOption(values['forward-batch'], 'forward-batch', 32, 1, 4096),
    peer: !values['no-peer'],
    profile: values.profile === true,
    microBatch: values['micro-batch'] === undefined ? null : intOption(values['micro-batch'], 'micro-batch', 0, 1, 4096),
    paperStep: values['paper-step'] === true,
    named: values.backend !== undefined,
  };
  if (values.tag !== undefined && !/^[\w.-]+$/.test(String(values.tag))) {
    throw new UsageError(`--tag may hold letters, digits, '.', '_' and '-' only, got '${String(values.tag)}'`);
  }
  return { plan, values };
}

/** The cases of one backend process group at one size (null: the head, which has no size). */
function deviceCases(p: Plan, size: number | null): BenchCase[] {
  const profileStep = p.profile || undefined;
  if (size === null) {
    const head: BenchCase = { network: 'head', mode: 'train', inputSize: 1024, batch: 256, warmup: 3, steps: Math.max(p.steps, 10) };
    // the paper's step: its own size and batch (PRESETS.paper), no warm-up step (a step of 64 takes minutes on wasm)
    const paper: BenchCase = { network: 'mobilenet_v1', mode: 'paper-step', inputSize: 224, batch: 64, warmup: 0, steps: p.steps, microBatch: p.microBatch, profileStep };
    return p.paperStep ? [head, paper] : [head];
  }
  return p.networks.flatMap((network) => [
    { network, mode: 'forward' as const, inputSize: size, batch: p.forwardBatch, warmup: 1, steps: p.steps, profileStep },
    { network, mode: 'train' as const, inputSize: size, batch: p.trainBatch, warmup: 1, steps: p.steps, profileStep, microBatch: p.microBatch },
  ]);
}

function cpuCases(p: Plan): BenchCase[] {
  const network = p.networks.includes('mobilenet_v1') ? 'mobilenet_v1' : p.networks[0];
  return [
    { network, mode: 'forward', inputSize: Math.min(...p.sizes), batch: 2, warmup: 0, steps: 1 },
    { network, mode: 'train', inputSize: Math.min(...p.sizes), batch: 1, warmup: 0, steps: 1 },
    { network: 'head', mode: 'train', inputSize: 1024, batch: 256, warmup: 1, steps: 3 },
  ];
}

/** Runs every case, one child process each; wasm and the peer alternate per (threads, size). Returns runs and peer. */
function measure(p: Plan): { runs: Record<string, unknown>[]; peer: Record<string, unknown>[]; peerIsa: string | null } {
  const runs: Record<string, unknown>[] = [];
  const peer: Record<string, unknown>[] = [];
  const python = p.peer && p.networks.some((n) => PEER_MATCHES.includes(n)) ? findPython() : null;
  if (p.peer && p.networks.some((n) => PEER_MATCHES.includes(n)) && !python) {
    peer.push({ error: 'no python3 with torch found (apt-get install -y python3-torch, or set FER_PYTHON)' });
    process.stderr.write(`bench: peer skipped: ${String(peer[0].error)}\n`);
  }
  const one = (backend: string, t: number | undefined, c: BenchCase): void => {
    const out = spawnChild(backend, t, { cases: [c] });
    // a backend named by FER_BACKEND or --backend was asked for: no quiet skip (a GPU that does not load must say so)
    if (out.error && (p.forced || p.named)) throw new Error(String(out.error));
    if (out.error) process.stderr.write(`bench: ${backend} ${c.network} ${c.inputSize} ${c.mode} skipped: ${String(out.error)}\n`);
    runs.push({ backend, requestedThreads: t ?? null, ...out });
  };
  for (const backend of p.backends.filter((b) => b !== 'cpu')) {
    const configs = backend === 'wasm' ? p.threads : [undefined];
    for (const t of configs) {
      process.stderr.write(`bench: ${backend}${t ? ` (${t} thread${t > 1 ? 's' : ''})` : ''} ...\n`);
      for (const size of [...p.sizes, null]) {
        for (const c of deviceCases(p, size)) one(backend, t, c);
        if (backend !== 'wasm' || !python || size === null) continue;
        for (const mode of ['forward', 'train']) {
          const r = runPeer(python, size, t!, mode, p.steps, mode === 'train' ? p.trainBatch : p.forwardBatch);
          if (r.error) process.stderr.write(`bench: peer ${t}t ${size} ${mode} failed: ${String(r.error)}\n`);
          peer.push(r);
        }
      }
    }
  }
  if (p.backends.includes('cpu')) {
    process.stderr.write('bench: cpu ...\n');
    for (const c of cpuCases(p)) one('cpu', undefined, c);
  }
  return { runs, peer, peerIsa: python ? peerIsa(python) : null };
}

function rowsOf(runs: Record<string, unknown>[], peer: Record<string, unknown>[]): Row[] {
  const rows: Row[] = [];
  for (const r of runs) {
    const info = r.info as { name: string; threads: number } | undefined;
    for (const res of (r.results as BenchResult[] | undefined) ?? []) {
      rows.push({ backend: info?.name ?? String(r.backend), threads: info?.threads ?? 1, network: res.network, size: res.inputSize, mode: res.mode,
        batch: res.batch, imgS: res.imagesPerS, msImg: res.msPerImage, peakRssBytes: res.peakRssBytes, error: res.error, microBatch: res.microBatchUsed });
    }
  }
  for (const pr of peer) {
    for (const x of (pr.results as { threads: number; inputSize: number; mode: string; batch: number; imagesPerS: number; peakRssBytes?: number }[] | undefined) ?? []) {
      rows.push({ backend: `pytorch ${String(pr.torchVersion ?? '')}`, threads: x.threads, network: 'mobilenet_v1 (torch)', size: x.inputSize, mode: x.mode,
        batch: x.batch, imgS: x.imagesPerS, msImg: 1000 / x.imagesPerS, peakRssBytes: x.peakRssBytes });
    }
  }
  return rows;
}

/** wasm / PyTorch at equal thread counts, wasm's thread scaling, and wasm / cpu per image. */
function ratiosOf(rows: Row[]): { what: string; value: number }[] {
  const ratios: { what: string; value: number }[] = [];
  const wasm = rows.filter((x) => x.backend === 'wasm' && !x.error);
  const minThreads = Math.min(...wasm.map((r) => r.threads));
  for (const r of wasm) {
    const p = rows.find((x) => x.backend.startsWith('pytorch') && x.threads === r.threads && x.size === r.size && x.mode === r.mode);
    if (p && PEER_MATCHES.includes(r.network)) ratios.push({ what: `wasm ${r.network}/pytorch ${r.mode} ${r.size}px ${r.threads}t`, value: r.imgS / p.imgS });
    const one = wasm.find((x) => x.threads === minThreads && x.network === r.network && x.size === r.size && x.mode === r.mode);
    if (one && r.threads > minThreads) ratios.push({ what: `wasm ${r.network} ${r.mode} ${r.size}px ${r.threads}t/${minThreads}t`, value: r.imgS / one.imgS });
    const c = rows.find((x) => x.backend === 'cpu' && x.network === r.network && x.size === r.size && x.mode === r.mode && !x.error);
    if (c) ratios.push({ what: `wasm(${r.threads}t)/cpu ${r.network} ${r.mode} ${r.size}px per image`, value: r.imgS / c.imgS });
  }
  const peers = rows.filter((x) => x.backend.startsWith('pytorch'));
  for (const p of peers) {
    const one = peers.find((x) => x.threads === minThreads && x.size === p.size && x.mode === p.mode);
    if (one && p.threads > one.threads) ratios.push({ what: `pytorch ${p.mode} ${p.size}px ${p.threads}t/${one.threads}t`, value: p.imgS / one.imgS });
  }
  return ratios;
}

async function run(argv: string[]): Promise<number> {
  const { plan, values } = parsePlan(argv);
  if (typeof values.child === 'string') return runChild(JSON.parse(values.child) as ChildConfig);
  const t0 = Date.now();
  const { runs, peer, peerIsa: isa } = measure(plan);
  const rows = rowsOf(runs, peer);
  const ratios = ratiosOf(rows);
  const commit = gitCommit();
  const date = new Date().toISOString();
  const host = hostInfo();
  const { peer: _peer, forced: _forced, profile: _profile, named: _named, ...config } = plan;
  const result = {
    schemaVersion: 2,
    meta: {
      date, gitCommit: commit, command: `fer-au bench ${argv.join(' ')}`.trim(),
      host, peerIsa: isa,
      elapsedS: (Date.now() - t0) / 1000,
    },
    config: { ...config, peer: plan.peer, profile: plan.profile, headBatch: 256 },
    runs, peer, ratios,
  };
  if (!values['no-save']) {
    const dir = typeof values.out === 'string' ? path.resolve(values.out) : path.join(ROOT, 'results', 'bench');
    const tag = typeof values.tag === 'string' ? values.tag : '';
    const file = path.join(dir, `${date.slice(0, 10)}-${commit}${tag ? `-${tag}` : ''}.json`);
    writeJsonAtomic(file, result);
    process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file) || file}\n`);
  }
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(table(rows) + '\n');
    if (ratios.length) process.stdout.write('\n' + ratios.map((r) => `${r.what}: ${r.value.toFixed(2)}`).join('\n') + '\n');
    process.stdout.write(`\nCPU vector ISA: ${host.cpuVectorIsa.join(' ') || 'unknown'}; PyTorch's oneDNN runs on: ${isa ?? 'unknown'} (wasm SIMD is 128-bit everywhere)`);
    process.stdout.write(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${host.cpus} cores (shared machines: compare ratios within one run)\n`);
  }
  return 0;
}

export const command: Command = {
  name: 'bench',
  summary: 'forward/training throughput per backend, paired with the PyTorch peer; writes results/bench/',
  usage,
  run,
};
