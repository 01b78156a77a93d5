/**
 * Throughput and size of synthetic DISFA generation, for `fer-au bench` (results/bench/): writes a throw-away
 * set under the OS temp folder with the real writer (worker threads, JPEG encoding, file writes) and measures
 * wall time, process CPU time (all threads) and bytes on disk.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeSyntheticDisfa } from './writer';

export interface SynthBenchResult {
  size: number;
  frames: number;
  workers: number;
  /** Wall seconds of writeSyntheticDisfa (worker start-up included). */
  seconds: number;
  framesPerSecond: number;
  /** Process CPU seconds (user + system, all threads) per frame: 1 / this is the rate of one free core. */
  cpuSecondsPerFrame: number;
  /** Mean JPEG file size, and the frames' allocated disk space per 1000 frames (file-system blocks). */
  bytesPerFrame: number;
  diskBytesPer1000Frames: number;
  /** Load average (1 min) when the run ended: the machine may be shared. */
  loadAverage: number;
}

/** Generates `frames` frames (2 subjects) at `size` px and measures them; the set is deleted afterwards. */
export async function benchSyntheticGeneration(opts: { size?: number; frames?: number; workers?: number; seed?: number } = {}): Promise<SynthBenchResult> {
  const size = opts.size ?? 224;
  const frames = opts.frames ?? 2000;
  const workers = opts.workers ?? Math.min(2, os.cpus().length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-synth-bench-'));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const perSubject = Math.ceil(frames / 2);
    await writeSyntheticDisfa({ out: dir, subjects: 2, frames: perSubject, size, seed: opts.seed ?? 0, workers });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    let bytes = 0, blocks = 0, n = 0;
    const framesDir = path.join(dir, 'Frames_LeftCamera');
    for (const s of fs.readdirSync(framesDir)) {
      for (const f of fs.readdirSync(path.join(framesDir, s))) {
        const st = fs.statSync(path.join(framesDir, s, f));
        bytes += st.size;
        blocks += st.blocks;
        n++;
      }
    }
    return {
      size,
      frames: n,
      workers,
      seconds,
      framesPerSecond: n / seconds,
      cpuSecondsPerFrame: (cpu.user + cpu.system) / 1e6 / n,
      bytesPerFrame: bytes / n,
      diskBytesPer1000Frames: (blocks * 512 * 1000) / n,
      loadAverage: os.loadavg()[0],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
