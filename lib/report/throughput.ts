/**
 * Measured speed of the four backbones on this machine's backend: inference images/s (forward pass of the AU
 * model: what stage 1's feature extraction costs) and training images/s (forward, backward and an Adam update of
 * the top blocks and the head: stage 2 as the quick preset runs it, unfreezing from TOP_BLOCKS).
 * The paper quotes [20]: MobileNets run more than three times faster than DenseNets. Random weights: speed does
 * not depend on the values.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../backend';
import { bceLoss } from '../losses';
import { BACKBONES, buildAuModel, type BackboneName } from '../models';
import { readJson, writeJsonAtomic } from '../util/fs';
import { backboneLabel } from './figure_set';
import { SURVEY_BACKBONES, TOP_BLOCKS } from '../experiments';

export interface ThroughputMeasurement {
  backbone: BackboneName;
  name: string;
  /** Inference images per second. */
  forward: number;
  /** Training images per second (fine-tuning step of the top blocks + head, TOP_BLOCKS). */
  train: number;
  params: number;
  /** Multiply-adds per image at the measured input size (scaled from 224 by area). */
  multAdds: number;
}

export interface ThroughputReport {
  kind: 'fer-au-throughput';
  version: 1;
  date: string;
  backend: string;
  threads: number;
  inputSize: number;
  /** Forward batch; the training step ran on trainBatchSize images. */
  batchSize: number;
  trainBatchSize: number;
  iterations: number;
  rows: ThroughputMeasurement[];
}

export interface ThroughputOptions {
  backbones?: BackboneName[];
  /** Input side in pixels (default 96, the quick preset's). */
  inputSize?: number;
  /** Forward batch (default 8); the training step uses half of it (at least 2). */
  batchSize?: number;
  /** Timed forward iterations after one warm-up (default 3); training steps are timed twice after a warm-up. */
  iterations?: number;
  onProgress?: (message: string) => void;
}

async function timeIt(iterations: number, fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up: kernel compilation, weight upload
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9 / iterations;
}

/** Measures forward and training throughput of each backbone's AU model on the current backend. */
export async function measureBackboneThroughput(opts: ThroughputOptions = {}): Promise<ThroughputReport> {
  const info = backendInfo() ?? (await initBackend());
  const inputSize = opts.inputSize ?? 96;
  const batch = opts.batchSize ?? 8;
  const iterations = opts.iterations ?? 3;
  const trainBatch = Math.max(2, Math.floor(batch / 2));
  const rows: ThroughputMeasurement[] = [];
  for (const backbone of opts.backbones ?? SURVEY_BACKBONES) {
    opts.onProgress?.(`${backboneLabel(backbone)}: building at ${inputSize}px`);
    const m = await buildAuModel({ backbone, inputSize, numAus: 8, weights: null, seed: 1 });
    const x = tf.randomUniform([batch, inputSize, inputSize, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const xt = tf.slice(x, [0, 0, 0, 0], [trainBatch, -1, -1, -1]) as tf.Tensor4D;
    const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([trainBatch, 8], 0, 1, 'float32', 2), 0.7), 'float32')) as tf.Tensor2D;
    try {
      opts.onProgress?.(`${backboneLabel(backbone)}: forward`);
      const fwd = await timeIt(iterations, async () => {
        const out = m.model.predict(x) as tf.Tensor;
        await out.data();
        out.dispose();
      });
      opts.onProgress?.(`${backboneLabel(backbone)}: training step`);
      m.unfreezeFrom(TOP_BLOCKS[backbone], { freezeBatchNorm: true });
      const opt = tf.train.adam(1e-5);
      const vars = m.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const step = await timeIt(2, async () => {
        const cost = opt.minimize(() => bceLoss(y, m.model.apply(xt, { training: true }) as tf.Tensor2D), true, vars);
        await cost?.data();
        cost?.dispose();
      });
      opt.dispose();
      const spec = BACKBONES[backbone];
      rows.push({
        backbone,
        name: backboneLabel(backbone),
        forward: batch / fwd,
        train: trainBatch / step,
        params: spec.params.noTop,
        multAdds: spec.multAdds224 * (inputSize / 224) ** 2,
      });
    } finally {
      x.dispose();
      xt.dispose();
      y.dispose();
      m.model.dispose();
    }
  }
  return {
    kind: 'fer-au-throughput',
    version: 1,
    date: new Date().toISOString(),
    backend: `${info.name}${info.name === 'wasm' ? `, ${info.threads} threads${info.simd ? ', SIMD' : ''}` : ''}`,
    threads: info.threads,
    inputSize,
    batchSize: batch,
    trainBatchSize: trainBatch,
    iterations,
    rows,
  };
}

/** Reads a throughput report written by writeThroughput; null when the file does not exist. */
export function readThroughput(file: string): ThroughputReport | null {
  if (!fs.existsSync(file)) return null;
  const r = readJson<ThroughputReport>(file);
  if (r.kind !== 'fer-au-throughput' || !Array.isArray(r.rows)) throw new Error(`${file}: not a fer-au throughput report (kind must be 'fer-au-throughput')`);
  return r;
}

export function writeThroughput(file: string, r: ThroughputReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeJsonAtomic(file, r);
}

/** Default location of the throughput measurements: results/figures/throughput.json of this checkout. */
export const DEFAULT_THROUGHPUT_FILE = path.join(__dirname, '..', '..', 'results', 'figures', 'throughput.json');

/** Reads the measurements at `file` when they were taken at this input size; otherwise measures and writes them. */
export async function ensureThroughput(opts: ThroughputOptions & { file?: string; force?: boolean } = {}): Promise<ThroughputReport> {
  const file = opts.file ?? DEFAULT_THROUGHPUT_FILE;
  const have = opts.force ? null : readThroughput(file);
  if (have && have.inputSize === (opts.inputSize ?? 96)) return have;
  const r = await measureBackboneThroughput(opts);
  writeThroughput(file, r);
  return r;
}
