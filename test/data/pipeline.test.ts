import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { colorJitterInPlace, sampleAugment } from '../../lib/data/augment';
import { loadDisfa } from '../../lib/data/disfa';
import { loadImageRgb } from '../../lib/data/image';
import { labelsOf } from '../../lib/data/labels';
import { epochOrder, imageBatches, measureThroughput, type ImageBatch } from '../../lib/data/pipeline';
import { FIXTURES } from './helpers';

const AUS = ['AU01', 'AU06', 'AU12', 'AU25'];
const identity = (x: tf.Tensor4D) => x;

async function collect(it: AsyncIterable<ImageBatch>): Promise<{ index: number[][]; x: number[][]; y: number[][] }> {
  const out = { index: [] as number[][], x: [] as number[][], y: [] as number[][] };
  for await (const b of it) {
    out.index.push(b.index);
    out.x.push(Array.from(b.x.dataSync()));
    out.y.push(Array.from(b.y.dataSync()));
    b.x.dispose();
    b.y.dispose();
  }
  return out;
}

test('imageBatches yields every frame once, in order, with its pixels and presence labels', async () => {
  await tf.setBackend('cpu');
  const { frames } = await loadDisfa(path.join(FIXTURES, 'disfa'));
  const before = tf.memory().numTensors;
  const shapes: number[][] = [];
  const got = await collect((async function* () {
    for await (const b of imageBatches(frames, { aus: AUS, inputSize: 16, batchSize: 4, shuffle: false, seed: 1, preprocess: identity })) {
      shapes.push([...b.x.shape, ...b.y.shape]);
      yield b;
    }
  })());
  assert.deepEqual(shapes, [[4, 16, 16, 3, 4, 4], [4, 16, 16, 3, 4, 4], [4, 16, 16, 3, 4, 4], [4, 16, 16, 3, 4, 4], [2, 16, 16, 3, 2, 4]]);
  assert.deepEqual(got.index.flat(), Array.from({ length: 18 }, (_, i) => i));
  assert.deepEqual(got.y.flat(), Array.from(labelsOf(frames, AUS)));
  const first = await loadImageRgb(frames[0].image, 16);
  assert.deepEqual(got.x[0].slice(0, 16 * 16 * 3), Array.from(first));
  assert.equal(tf.memory().numTensors, before);
});

test('imageBatches applies the preprocessing, shuffles per (seed, epoch) and can drop the last batch', async () => {
  await tf.setBackend('cpu');
  const { frames } = await loadDisfa(path.join(FIXTURES, 'disfa'));
  const opts = { aus: AUS, inputSize: 8, batchSize: 5, shuffle: true, seed: 3, preprocess: (x: tf.Tensor4D) => x.div(127.5).sub(1) as tf.Tensor4D };
  const a = await collect(imageBatches(frames, opts));
  const b = await collect(imageBatches(frames, opts));
  const c = await collect(imageBatches(frames, { ...opts, epoch: 1 }));
  assert.deepEqual(a.index, b.index);
  assert.notDeepEqual(a.index.flat(), c.index.flat());
  assert.deepEqual([...a.index.flat()].sort((p, q) => p - q), Array.from({ length: 18 }, (_, i) => i));
  assert.deepEqual(a.index.flat(), epochOrder(18, true, 3, 0));
  const xs = a.x.flat();
  assert.ok(Math.min(...xs) >= -1 && Math.max(...xs) <= 1);
  // rows of y follow the shuffled index
  const lab = labelsOf(frames, AUS);
  assert.deepEqual(a.y[0].slice(0, 4), Array.from(lab.slice(a.index[0][0] * 4, a.index[0][0] * 4 + 4)));
  const d = await collect(imageBatches(frames, { ...opts, dropLast: true }));
  assert.deepEqual(d.index.map((i) => i.length), [5, 5, 5]);
});

test('augmentation is reproducible from the seed and differs between epochs', async () => {
  await tf.setBackend('cpu');
  const { frames } = await loadDisfa(path.join(FIXTURES, 'disfa'));
  const augment = { crop: { scale: [0.7, 0.9] as [number, number] }, flip: true, colorJitter: { brightness: 0.3, contrast: 0.3, saturation: 0.3 } };
  const opts = { aus: AUS, inputSize: 12, batchSize: 6, shuffle: false, seed: 5, augment, preprocess: identity };
  const a = await collect(imageBatches(frames, opts));
  const b = await collect(imageBatches(frames, { ...opts, prefetch: 1 }));
  const c = await collect(imageBatches(frames, { ...opts, epoch: 2 }));
  assert.deepEqual(a.x, b.x);
  assert.notDeepEqual(a.x, c.x);
  const p = sampleAugment(augment, 5, 0, 7);
  assert.deepEqual(p, sampleAugment(augment, 5, 0, 7));
  assert.ok(p.crop!.w >= 0.7 && p.crop!.w <= 0.9 && p.crop!.x + p.crop!.w <= 1 && p.crop!.y + p.crop!.h <= 1);
  assert.ok(p.brightness >= 0.7 && p.brightness <= 1.3);
  await assert.rejects(imageBatches(frames, { ...opts, augment: { crop: { scale: [0.9, 0.5] } } }).next(), /augment\.crop\.scale must satisfy 0 < lo <= hi <= 1, got \[0\.9, 0\.5\]/);
});

test('flip mirrors the pixels and a crop of the bottom-right quarter is that quarter', async () => {
  const file = path.join(FIXTURES, 'disfa/Frames_LeftCamera/SN006/00002.png');
  const full = await loadImageRgb(file, 16);
  const flipped = await loadImageRgb(file, 16, { flip: true });
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) for (let c = 0; c < 3; c++) {
    assert.equal(flipped[(y * 16 + x) * 3 + c], full[(y * 16 + 15 - x) * 3 + c]);
  }
  const quarter = await loadImageRgb(file, 8, { crop: { x: 0.5, y: 0.5, w: 0.5, h: 0.5 } });
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) {
    assert.equal(quarter[(y * 8 + x) * 3 + c], full[((y + 8) * 16 + x + 8) * 3 + c]);
  }
  await assert.rejects(loadImageRgb(path.join(FIXTURES, 'nope.png'), 8), /nope\.png: cannot read image \(ENOENT\)/);
});

test('colour jitter matches hand-computed values (brightness, contrast around the mean grey, saturation)', () => {
  const px = new Uint8Array([100, 150, 200]);
  colorJitterInPlace(px, { brightness: 1.1, contrast: 1, saturation: 1 });
  assert.deepEqual([...px], [110, 165, 220]);
  // grey levels 140.75 and 40.75, mean 90.75; contrast 2: v -> 2v - 90.75, clamped
  const two = new Uint8Array([100, 150, 200, 0, 50, 100]);
  colorJitterInPlace(two, { brightness: 1, contrast: 2, saturation: 1 });
  assert.deepEqual([...two], [109, 209, 255, 0, 9, 109]);
  // saturation 0.5 around the pixel's grey 140.75
  const s = new Uint8Array([100, 150, 200]);
  colorJitterInPlace(s, { brightness: 1, contrast: 1, saturation: 0.5 });
  assert.deepEqual([...s], [120, 145, 170]);
});

test('imageBatches never has more than prefetch batches of images in flight (bounded memory)', async () => {
  await tf.setBackend('cpu');
  const frames = Array.from({ length: 40 }, (_, i) => ({ subject: 'SN001', frame: i + 1, image: `/virtual/${i}.png`, intensity: { AU01: i % 6 } }));
  let inFlight = 0;
  let maxInFlight = 0;
  let started = 0;
  const loader = async () => {
    started++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    return new Uint8Array(4 * 4 * 3).fill(7);
  };
  let batches = 0;
  for await (const b of imageBatches(frames, { aus: ['AU01'], inputSize: 4, batchSize: 4, shuffle: true, seed: 0, preprocess: identity, prefetch: 2, loader })) {
    batches++;
    // while the consumer holds batch k, at most batches k+1..k+2 have been started
    assert.ok(started <= (batches + 2) * 4, `started ${started} images at batch ${batches}`);
    await new Promise((r) => setTimeout(r, 5));
    b.x.dispose();
    b.y.dispose();
  }
  assert.equal(batches, 10);
  assert.ok(maxInFlight <= 8, `max ${maxInFlight} images loading at once`);
  const t = await measureThroughput(frames, { aus: ['AU01'], inputSize: 4, batchSize: 8, shuffle: false, seed: 0, preprocess: identity, loader }, 2);
  assert.equal(t.images, 16);
  assert.equal(t.batches, 2);
  assert.ok(t.imagesPerSecond > 0);
});

test('a loader error names the frame image', async () => {
  await tf.setBackend('cpu');
  const frames = [{ subject: 'SN001', frame: 1, image: path.join(FIXTURES, 'missing.jpg'), intensity: { AU01: 0 } }];
  await assert.rejects(collect(imageBatches(frames, { aus: ['AU01'], inputSize: 4, batchSize: 1, shuffle: false, seed: 0, preprocess: identity })), /missing\.jpg: cannot read image/);
  assert.ok(!fs.existsSync(frames[0].image));
});
