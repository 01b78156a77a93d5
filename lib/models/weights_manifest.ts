/**
 * data-manifests/weights.json: the embedded weight sets (npm packages that ship them, with file hashes) and the
 * official Keras .h5 files (URL, md5, size); where an installed package's files are; file hashes.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { readJson } from '../util/fs';
import { PreprocessMode } from './preprocessing';
import { BackboneName } from './types';

export interface EmbeddedEntry {
  id: string; backbone: BackboneName; alpha: number; package: string; packageVersion: string;
  files: Record<string, string>; md5: Record<string, string>; dataset: string; preprocessing: PreprocessMode; notes: string;
}
export interface KerasH5Entry {
  id: string; backbone: BackboneName; alpha: number; inputSize: number; includeTop: boolean; filename: string; url: string;
  md5: string | null; bytes: number | null; dataset: string; preprocessing: PreprocessMode; source: string;
}
export interface WeightsManifest { schemaVersion: number; description: string; embedded: EmbeddedEntry[]; kerasH5: KerasH5Entry[] }

/** data-manifests/weights.json of the repository (found upward from this file, so a compiled copy finds it too). */
export const WEIGHTS_MANIFEST_PATH = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'data-manifests', 'weights.json');
    if (fs.existsSync(f)) return f;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..', 'data-manifests', 'weights.json');
  }
})();
let manifestCache: WeightsManifest | null = null;

/** data-manifests/weights.json. */
export function weightsManifest(): WeightsManifest {
  if (!manifestCache) manifestCache = readJson<WeightsManifest>(WEIGHTS_MANIFEST_PATH);
  return manifestCache;
}

/** The official Keras .h5 (ImageNet) for a backbone: no-top, alpha 1.0, 224 px unless told otherwise. */
export function kerasWeightsEntry(backbone: BackboneName, opts: { includeTop?: boolean; alpha?: number; inputSize?: number } = {}): KerasH5Entry {
  const e = weightsManifest().kerasH5.find(
    (k) => k.backbone === backbone && k.includeTop === (opts.includeTop ?? false) && k.alpha === (opts.alpha ?? 1.0) && k.inputSize === (opts.inputSize ?? 224),
  );
  if (!e) throw new Error(`${WEIGHTS_MANIFEST_PATH}: no Keras weights entry for ${backbone} ${JSON.stringify(opts)}`);
  return e;
}

/** The root folder of an installed npm package. */
export function packageRoot(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of npm package ${name}`);
    dir = up;
  }
}

export function embeddedFile(entry: EmbeddedEntry, key: string): string {
  const rel = entry.files[key];
  return path.join(packageRoot(entry.package), path.relative(entry.package, rel));
}

/** md5 (hex) of a file, streamed. */
export async function md5File(file: string): Promise<string> {
  const h = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
