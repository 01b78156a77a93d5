import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { FeatureCache, imageKey } from '../../lib/data/feature_cache';
import { tempDir } from './helpers';

const KEY = { backbone: 'mobilenet_v1', weightsId: 'face-api-ssd', inputSize: 128, preprocessing: 'x/127.5-1', featureDim: 3 };

function images(dir: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, `img${i}.png`);
    fs.writeFileSync(f, `image ${i}`);
    return f;
  });
}

test('FeatureCache computes only missing features, persists them as float32 files and reads them back', async () => {
  const dir = tempDir();
  const imgs = images(dir, 5);
  const cacheDir = path.join(dir, 'cache');
  const computed: string[] = [];
  const compute = async (batch: string[]) => {
    computed.push(...batch);
    return Float32Array.from(batch.flatMap((f) => { const i = Number(/img(\d)/.exec(f)![1]); return [i, i + 0.5, -i]; }));
  };
  const c1 = new FeatureCache(KEY, { cacheDir });
  const first = await c1.getOrCompute(imgs.slice(0, 3), compute, { batchSize: 2 });
  assert.equal(first.computed, 3);
  assert.deepEqual([...first.features], [0, 0.5, -0, 1, 1.5, -1, 2, 2.5, -2]);
  c1.close();
  const c2 = new FeatureCache(KEY, { cacheDir });
  assert.equal(c2.size, 3);
  computed.length = 0;
  const all = await c2.getOrCompute(imgs, compute);
  assert.deepEqual(computed, [imgs[3], imgs[4]]);
  assert.equal(all.cached, 3);
  assert.deepEqual([...all.features.subarray(12)], [4, 4.5, -4]);
  // binary float32 chunks and their JSON key lists
  const files = fs.readdirSync(c2.dir).sort();
  assert.ok(files.includes('meta.json'));
  assert.equal(files.filter((f) => f.endsWith('.f32')).length, 3);
  assert.equal(files.filter((f) => f.endsWith('.tmp')).length, 0);
  c2.close();
});

test('a changed image file, other weights or another input size miss the cache', async () => {
  const dir = tempDir();
  const [img] = images(dir, 1);
  const cacheDir = path.join(dir, 'cache');
  const c = new FeatureCache(KEY, { cacheDir });
  c.putMany([img], Float32Array.from([1, 2, 3]));
  assert.deepEqual([...c.getMany([img])[0]!], [1, 2, 3]);
  assert.equal(new FeatureCache({ ...KEY, weightsId: 'imagenet' }, { cacheDir }).getMany([img])[0], null);
  assert.equal(new FeatureCache({ ...KEY, inputSize: 224 }, { cacheDir }).getMany([img])[0], null);
  const before = imageKey(img);
  fs.writeFileSync(img, 'changed content, longer');
  assert.notEqual(imageKey(img), before);
  assert.equal(c.getMany([img])[0], null);
  c.close();
});

test('an interrupted chunk (no key list) is ignored and a truncated chunk is an error naming the file', () => {
  const dir = tempDir();
  const [img] = images(dir, 1);
  const cacheDir = path.join(dir, 'cache');
  const c = new FeatureCache(KEY, { cacheDir });
  c.putMany([img], Float32Array.from([1, 2, 3]));
  c.close();
  fs.writeFileSync(path.join(c.dir, 'deadbeef.f32'), Buffer.alloc(12));
  assert.equal(new FeatureCache(KEY, { cacheDir }).size, 1);
  const chunk = fs.readdirSync(c.dir).find((f) => f.endsWith('.json') && f !== 'meta.json')!.replace('.json', '.f32');
  fs.writeFileSync(path.join(c.dir, chunk), Buffer.alloc(8));
  assert.throws(() => new FeatureCache(KEY, { cacheDir }), new RegExp(`${chunk}: 8 bytes, expected 1 rows of 3 float32`));
  assert.throws(() => c.putMany([img], Float32Array.from([1, 2])), /2 values for 1 images of dim 3/);
});
