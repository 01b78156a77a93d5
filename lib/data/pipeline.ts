/**
 * Input pipeline: frames -> shuffled, batched, preprocessed tensors for a backbone.
 * Images are streamed from disk: at most `prefetch` batches are being decoded ahead of the consumer, so memory
 * stays at a few batches however many frames there are (DISFA's 130,814 are never loaded at once).
 * Decoding runs on libuv's thread pool (@napi-rs/canvas), so prefetching overlaps it with the model's forward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, Rng } from '../util/rng';
import { colorJitterInPlace, sampleAugment, validateAugment, type AugmentConfig } from './augment';
import { loadImageRgb } from './image';
import { labelsOf } from './labels';
import type { FrameRecord } from './types';

export type { AugmentConfig } from './augment';

/** Loads one frame as size x size HWC RGB bytes (swap in for tests or other decoders). */
export type FrameLoader = (frame: FrameRecord, size: number, aug: { crop?: { x: number; y: number; w: number; h: number }; flip: boolean }) => Promise<Uint8Array>;

export interface ImageBatchOptions {
  aus: string[];
  inputSize: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** Epoch number: a different shuffle and augmentation per epoch (default 0). */
  epoch?: number;
  augment?: AugmentConfig | null;
  /** The backbone's preprocessing, applied to x in 0..255 RGB float32 [batch, size, size, 3]. */
  preprocess: (x: tf.Tensor4D) => tf.Tensor4D;
  /** Batches decoded ahead of the consumer (default 2). */
  prefetch?: number;
  /** Drop a last batch smaller than batchSize (default false). */
  dropLast?: boolean;
  loader?: FrameLoader;
}

export interface ImageBatch {
  /** Preprocessed images [batch, inputSize, inputSize, 3] float32. Caller disposes. */
  x: tf.Tensor4D;
  /** 0/1 presence labels [batch, aus.length]. Caller disposes. */
  y: tf.Tensor2D;
  /** Indices into `frames` of the rows of this batch. */
  index: number[];
}

const defaultLoader: FrameLoader = (f, size, aug) => loadImageRgb(f.image, size, { crop: aug.crop, flip: aug.flip });

/** The order frames are visited in an epoch: identity, or a shuffle seeded by (seed, epoch). */
export function epochOrder(n: number, shuffle: boolean, seed: number, epoch = 0): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  return shuffle ? new Rng(deriveSeed(seed, 'shuffle', epoch)).shuffle(order) : order;
}

/**
 * Yields {x, y, index} batches over `frames` (contract: team/contracts.md). Frames must already be aligned face
 * crops (see alignFrames); x is preprocessed float32, y the presence labels of `aus` (intensity >= 2).
 */
export async function* imageBatches(frames: FrameRecord[], opts: ImageBatchOptions): AsyncGenerator<ImageBatch> {
  const { aus, inputSize, batchSize, shuffle, seed, preprocess } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`imageBatches: batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error(`imageBatches: inputSize must be a positive integer, got ${inputSize}`);
  const epoch = opts.epoch ?? 0;
  const augment = opts.augment ?? null;
  if (augment) validateAugment(augment);
  const prefetch = Math.max(1, opts.prefetch ?? 2);
  const loader = opts.loader ?? defaultLoader;
  const order = epochOrder(frames.length, shuffle, seed, epoch);
  const starts: number[] = [];
  for (let s = 0; s < order.length; s += batchSize) {
    if (opts.dropLast && s + batchSize > order.length) break;
    starts.push(s);
  }
  const pixels = inputSize * inputSize * 3;

  const loadBatch = async (start: number): Promise<{ index: number[]; data: Float32Array }> => {
    const index = order.slice(start, start + batchSize);
    const data = new Float32Array(index.length * pixels);
    await Promise.all(
      index.map(async (fi, row) => {
        const p = augment ? sampleAugment(augment, seed, epoch, fi) : null;
        const rgb = await loader(frames[fi], inputSize, { crop: p?.crop, flip: p?.flip ?? false });
        if (rgb.length !== pixels) throw new Error(`${frames[fi].image}: loader returned ${rgb.length} bytes, expected ${pixels}`);
        if (p) colorJitterInPlace(rgb, p);
        data.set(rgb, row * pixels);
      }),
    );
    return { index, data };
  };

  const pending: Promise<{ index: number[]; data: Float32Array }>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < prefetch && next < starts.length) {
      const p = loadBatch(starts[next++]);
      p.catch(() => undefined); // surfaced when awaited; avoid an unhandled rejection meanwhile
      pending.push(p);
    }
  };
  fill();
  while (pending.length) {
    const { index, data } = await pending.shift()!;
    fill();
    const x = tf.tidy(() => preprocess(tf.tensor4d(data, [index.length, inputSize, inputSize, 3], 'float32')));
    const y = tf.tensor2d(labelsOf(index.map((i) => frames[i]), aus), [index.length, aus.length]);
    yield { x, y, index };
  }
}

/**
 * Runs `imageBatches` for up to `maxBatches` batches (disposing them) and returns images per second:
 * the pipeline's own throughput, to compare with a backbone's forward speed.
 */
export async function measureThroughput(
  frames: FrameRecord[],
  opts: ImageBatchOptions,
  maxBatches = Infinity,
): Promise<{ images: number; batches: number; seconds: number; imagesPerSecond: number }> {
  const t0 = process.hrtime.bigint();
  let images = 0;
  let batches = 0;
  for await (const b of imageBatches(frames, opts)) {
    images += b.index.length;
    batches++;
    b.x.dispose();
    b.y.dispose();
    if (batches >= maxBatches) break;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { images, batches, seconds, imagesPerSecond: images / seconds };
}
