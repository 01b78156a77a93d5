/**
 * `fer-au data prepare`: decode each DISFA video once (streamed from ffmpeg, no full-resolution dump), align
 * every frame (DISFA's 66-point landmarks, else face detection every N frames with tracking between), and
 * write the crops once into a prepared set outside the repository, which train, eval, figures and every shard
 * then read.
 *
 *   <set>/plan.json                          key and settings (written first)
 *   <set>/frames/SNxxx/00001-00500/00001.jpg  crops, one folder a chunk, renamed into place when complete
 *   <set>/frames/SNxxx/00001-00500/chunk.json eye source and eye centres per frame
 *   <set>/locks/SNxxx-00001.lock             held while a process prepares that chunk (prepare_lock.ts)
 *   <set>/prepared.json                      the manifest (prepare_manifest.ts), written last
 *
 * Resumable after kill -9 (a chunk is there or not; a dead holder's lock is taken over and its temporary folders
 * removed) and safe to run from several processes at once (each takes free chunks; the last waits for the
 * others' chunks, then every process writes the same manifest bytes).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Worker } from 'worker_threads';
import { readJson, writeJsonAtomic } from '../util/fs';
import { removeDeadTemps } from '../util/temp';
import { CHUNK_RECORD, prepareChunk, type ChunkRecord, type ChunkTask } from './prepare_chunk';
import { lockHeld, releaseLock, touchLock, tryLock } from './prepare_lock';
import { buildPreparedManifest, type PreparedManifest } from './prepare_manifest';
import { planPrepare, PLAN_FILE, PREPARED_FILE, type PreparePlan, type PrepareSettings } from './prepare_plan';
import { spawnLibWorker } from './worker_thread';
import { coreCount } from '../util/cores';

export interface PrepareProgress {
  /** Frames in complete chunks or written by this process so far. */
  done: number;
  total: number;
  /** Frames this process wrote, and its rate. */
  mine: number;
  framesPerSecond: number;
  /** Seconds to go at the current rate (null before the first frame). */
  etaSeconds: number | null;
}

export interface PrepareOptions {
  /** The prepared set's folder (default `<cacheRoot>/prepared/disfa-<key>`). */
  out?: string;
  /** Cache root (default preparedCacheRoot()). */
  cacheRoot?: string;
  settings?: Partial<PrepareSettings>;
  /** Worker threads (default min(2, cores); 0 prepares on the calling thread). */
  workers?: number;
  manifest?: string;
  onProgress?: (p: PrepareProgress) => void;
  onWarning?: (message: string) => void;
}

export interface PrepareSummary {
  dir: string;
  manifest: PreparedManifest;
  /** Chunks and frames this process prepared (0 when the set was complete). */
  chunks: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
}

function defaultWorkers(): number {
  const cores = coreCount();
  return Math.max(1, Math.min(2, cores));
}

const lockFile = (plan: PreparePlan, t: ChunkTask) => path.join(plan.dir, 'locks', `${t.subject}-${String(t.start).padStart(5, '0')}.lock`);
const isDone = (t: ChunkTask) => fs.existsSync(path.join(t.dir, CHUNK_RECORD));

/** Writes plan.json, or checks that an existing one is for the same key. */
function claimSetDir(plan: PreparePlan): void {
  fs.mkdirSync(path.join(plan.dir, 'locks'), { recursive: true });
  const file = path.join(plan.dir, PLAN_FILE);
  if (fs.existsSync(file)) {
    const prev = readJson<{ key?: string }>(file);
    if (prev.key !== plan.key) throw new Error(`${plan.dir}: holds a prepared set of other data or settings (key ${prev.key}, this one ${plan.key}); use another --out or delete it`);
    return;
  }
  writeJsonAtomic(file, { generator: 'fer-au data prepare', key: plan.key, root: plan.root, settings: plan.settings, subjects: plan.subjects });
}

/** Runs chunks on `n` worker threads (0: inline), taking each chunk's lock first; returns frames written. */
async function runChunks(plan: PreparePlan, n: number, onFrames: (k: number) => void): Promise<{ chunks: number; frames: number }> {
  let chunks = 0, frames = 0;
  const held = new Set<string>();
  const beat = setInterval(() => held.forEach(touchLock), 5000);
  const next = (): ChunkTask | undefined => {
    for (const t of plan.chunks) {
      if (isDone(t) || held.has(lockFile(plan, t))) continue;
      if (tryLock(lockFile(plan, t))) {
        if (isDone(t)) { // finished by another process between the two checks
          releaseLock(lockFile(plan, t));
          continue;
        }
        held.add(lockFile(plan, t));
        return t;
      }
    }
    return undefined;
  };
  const finish = (t: ChunkTask) => {
    chunks++;
    frames += t.end - t.start;
    releaseLock(lockFile(plan, t));
    held.delete(lockFile(plan, t));
  };
  try {
    if (n === 0) {
      for (let t = next(); t; t = next()) {
        await prepareChunk(t, () => onFrames(1));
        finish(t);
      }
    } else {
      await runOnWorkers(n, next, finish, onFrames);
    }
  } finally {
    clearInterval(beat);
    held.forEach(releaseLock);
  }
  return { chunks, frames };
}

async function runOnWorkers(n: number, next: () => ChunkTask | undefined, finish: (t: ChunkTask) => void, onFrames: (k: number) => void): Promise<void> {
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const feed = (w: Worker) => {
        const t = next();
        if (!t) {
          if (running === 0) resolve();
          return;
        }
        running++;
        w.once('message', function onMsg(msg: { type: string; n?: number; message?: string }) {
          if (msg.type === 'progress') {
            onFrames(msg.n!);
            w.once('message', onMsg);
          } else if (msg.type === 'done') {
            running--;
            finish(t);
            feed(w);
          } else reject(new Error(`data prepare: ${t.subject} frames ${t.start}-${t.end - 1}: ${msg.message}`));
        });
        w.postMessage({ id: 0, task: t });
      };
      for (let k = 0; k < n; k++) {
        const w = spawnLibWorker(__filename, __dirname, 'prepare_worker');
        workers.push(w);
        w.on('error', reject);
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Waits until every chunk is complete, taking over chunks whose holder died. */
async function waitForOthers(plan: PreparePlan, run: () => Promise<unknown>, onPoll: () => void): Promise<void> {
  for (;;) {
    const missing = plan.chunks.filter((t) => !isDone(t));
    if (missing.length === 0) return;
    if (missing.some((t) => !lockHeld(lockFile(plan, t)))) {
      await run();
      continue;
    }
    onPoll();
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Prepares the DISFA copy at `root` (or finds it prepared) and returns the manifest. See the file comment for
 * the layout, resuming and sharing between processes.
 */
export async function prepareDisfa(root: string, opts: PrepareOptions = {}): Promise<PrepareSummary> {
  const t0 = Date.now();
  const plan = planPrepare(root, { out: opts.out, cacheRoot: opts.cacheRoot, settings: opts.settings, manifest: opts.manifest });
  for (const w of plan.warnings) opts.onWarning?.(w);
  const manifestFile = path.join(plan.dir, PREPARED_FILE);
  if (fs.existsSync(manifestFile)) {
    const m = readJson<PreparedManifest>(manifestFile);
    if (m.key === plan.key) return { dir: plan.dir, manifest: m, chunks: 0, frames: 0, seconds: (Date.now() - t0) / 1000, framesPerSecond: 0 };
  }
  claimSetDir(plan);
  const workers = Math.min(opts.workers ?? defaultWorkers(), plan.chunks.length);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new Error(`data prepare: workers must be an integer in [0, 64], got ${opts.workers}`);
  let mine = 0;
  const tStart = Date.now();
  const report = () => {
    const done = plan.chunks.filter(isDone).reduce((a, t) => a + t.end - t.start, 0);
    const fps = mine / Math.max(1e-3, (Date.now() - tStart) / 1000);
    const doneAll = Math.max(done, Math.min(plan.totalFrames, done + mine));
    opts.onProgress?.({ done: doneAll, total: plan.totalFrames, mine, framesPerSecond: fps, etaSeconds: mine ? (plan.totalFrames - doneAll) / fps : null });
  };
  let lastReport = 0;
  const onFrames = (k: number) => {
    mine += k;
    if (Date.now() - lastReport > 500) {
      lastReport = Date.now();
      report();
    }
  };
  let chunks = 0, frames = 0;
  const run = async () => {
    const r = await runChunks(plan, workers, onFrames);
    chunks += r.chunks;
    frames += r.frames;
  };
  await run();
  await waitForOthers(plan, run, report);
  report();
  // a chunk a killed process had begun and another process then finished leaves that process's temporary folder
  for (const dir of new Set(plan.chunks.map((t) => path.dirname(t.dir)))) removeDeadTemps(dir);
  const records = plan.chunks.map((t) => readJson<ChunkRecord>(path.join(t.dir, CHUNK_RECORD)));
  const manifest = buildPreparedManifest(plan, records);
  writeJsonAtomic(manifestFile, manifest);
  const seconds = (Date.now() - t0) / 1000;
  return { dir: plan.dir, manifest, chunks, frames, seconds, framesPerSecond: frames / Math.max(seconds, 1e-9) };
}

/** Reads a prepared set's manifest; null when `dir` holds no complete prepared set. */
export function readPrepared(dir: string): PreparedManifest | null {
  const file = path.join(dir, PREPARED_FILE);
  return fs.existsSync(file) ? readJson<PreparedManifest>(file) : null;
}
