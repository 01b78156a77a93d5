/**
 * Content-addressed cache of pooled backbone features for stage 1 of transfer learning (the frozen backbone
 * is run once per image, in inference mode, and the head trains on the cached vectors).
 *
 * Layout under the cache dir (FER_CACHE_DIR or <repo>/.cache/fer-au):
 *   features/<namespace>/meta.json          {backbone, weightsId, inputSize, preprocessing, featureDim}
 *   features/<namespace>/<chunk>.f32        rows of featureDim little-endian float32
 *   features/<namespace>/<chunk>.json       {keys: [imageKey per row]}  (written after its .f32: the commit mark)
 * namespace = hash(backbone, weights id, input size, preprocessing id, feature dim); imageKey = hash(absolute
 * image path, size, mtime). Every file is written atomically (temp file + rename), so an interrupted run
 * leaves a consistent cache; an image whose file changed gets a new key.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/fs';
import { contentKey, defaultCacheDir } from './cache';

export interface FeatureCacheKey {
  backbone: string;
  /** What weights were loaded (e.g. a WeightReport id or file hash). */
  weightsId: string;
  inputSize: number;
  /** Identifies the preprocessing (e.g. 'x/127.5-1'). */
  preprocessing: string;
  featureDim: number;
}


/** Key of an image file's current content: path, byte size and modification time. */
export function imageKey(file: string): string {
  const abs = path.resolve(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    throw new Error(`${abs}: cannot stat image for the feature cache (${(err as NodeJS.ErrnoException).code})`);
  }
  return contentKey(abs, st.size, st.mtimeMs).slice(0, 32);
}

export class FeatureCache {
  readonly dir: string;
  readonly key: FeatureCacheKey;
  private readonly entries = new Map<string, [string, number]>();
  private readonly fds = new Map<string, number>();

  constructor(key: FeatureCacheKey, opts: { cacheDir?: string } = {}) {
    if (!Number.isInteger(key.featureDim) || key.featureDim < 1) throw new Error(`FeatureCache: featureDim must be a positive integer, got ${key.featureDim}`);
    this.key = { ...key };
    const ns = contentKey(key.backbone, key.weightsId, key.inputSize, key.preprocessing, key.featureDim).slice(0, 24);
    this.dir = path.join(opts.cacheDir ?? defaultCacheDir(), 'features', ns);
    const metaFile = path.join(this.dir, 'meta.json');
    if (fs.existsSync(metaFile)) {
      const meta = readJson<FeatureCacheKey>(metaFile);
      if (meta.featureDim !== key.featureDim) throw new Error(`${metaFile}: featureDim ${meta.featureDim}, expected ${key.featureDim}`);
    }
    // The index is the union of the chunk key lists; a .f32 without its .json (interrupted write) is ignored.
    for (const f of fs.existsSync(this.dir) ? fs.readdirSync(this.dir).sort() : []) {
      if (!f.endsWith('.json') || f === 'meta.json') continue;
      const chunk = f.slice(0, -5);
      const { keys } = readJson<{ keys: string[] }>(path.join(this.dir, f));
      const bytes = fs.statSync(path.join(this.dir, `${chunk}.f32`)).size;
      if (bytes !== keys.length * key.featureDim * 4) throw new Error(`${path.join(this.dir, `${chunk}.f32`)}: ${bytes} bytes, expected ${keys.length} rows of ${key.featureDim} float32`);
      keys.forEach((k, row) => this.entries.set(k, [chunk, row]));
    }
  }

  /** Number of cached vectors. */
  get size(): number {
    return this.entries.size;
  }

  /** Cached features of each image ([featureDim] each) or null where missing. */
  getMany(images: string[]): (Float32Array | null)[] {
    const dim = this.key.featureDim;
    return images.map((img) => {
      const e = this.entries.get(imageKey(img));
      if (!e) return null;
      const [chunk, row] = e;
      let fd = this.fds.get(chunk);
      if (fd === undefined) {
        fd = fs.openSync(path.join(this.dir, `${chunk}.f32`), 'r');
        this.fds.set(chunk, fd);
      }
      const buf = Buffer.alloc(dim * 4);
      const n = fs.readSync(fd, buf, 0, buf.length, row * dim * 4);
      if (n !== buf.length) throw new Error(`${path.join(this.dir, `${chunk}.f32`)}: truncated at row ${row}`);
      return new Float32Array(buf.buffer, buf.byteOffset, dim).slice();
    });
  }

  /** Stores features [images.length, featureDim] (row-major) as one new chunk and updates the index. */
  putMany(images: string[], features: Float32Array): void {
    const dim = this.key.featureDim;
    if (features.length !== images.length * dim) throw new Error(`FeatureCache.putMany: ${features.length} values for ${images.length} images of dim ${dim}`);
    if (images.length === 0) return;
    const keys = images.map(imageKey);
    const chunk = contentKey(keys).slice(0, 24);
    const open = this.fds.get(chunk);
    if (open !== undefined) {
      fs.closeSync(open);
      this.fds.delete(chunk);
    }
    if (!fs.existsSync(path.join(this.dir, 'meta.json'))) writeJsonAtomic(path.join(this.dir, 'meta.json'), this.key);
    writeFileAtomic(path.join(this.dir, `${chunk}.f32`), new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    writeJsonAtomic(path.join(this.dir, `${chunk}.json`), { keys });
    keys.forEach((k, row) => this.entries.set(k, [chunk, row]));
  }

  /**
   * Features of all `images` as [images.length, featureDim], computing the missing ones with `compute`
   * (called on batches of at most `batchSize` image paths; returns their features row-major) and caching them.
   */
  async getOrCompute(
    images: string[],
    compute: (batch: string[]) => Promise<Float32Array>,
    opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ features: Float32Array; computed: number; cached: number }> {
    const dim = this.key.featureDim;
    const out = new Float32Array(images.length * dim);
    const got = this.getMany(images);
    const missing: number[] = [];
    got.forEach((v, i) => (v ? out.set(v, i * dim) : missing.push(i)));
    const bs = opts.batchSize ?? 64;
    for (let s = 0; s < missing.length; s += bs) {
      const idx = missing.slice(s, s + bs);
      const batch = idx.map((i) => images[i]);
      const feats = await compute(batch);
      if (feats.length !== idx.length * dim) throw new Error(`FeatureCache: compute returned ${feats.length} values for ${idx.length} images of dim ${dim}`);
      this.putMany(batch, feats);
      idx.forEach((i, r) => out.set(feats.subarray(r * dim, (r + 1) * dim), i * dim));
      opts.onProgress?.(Math.min(s + bs, missing.length), missing.length);
    }
    return { features: out, computed: missing.length, cached: images.length - missing.length };
  }

  /** Closes open chunk files. */
  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
