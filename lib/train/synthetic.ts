/**
 * The synthetic DISFA set a run uses when no dataset root is given: generated once per settings with lib/data's
 * writeSyntheticDisfa and cached under `<cache>/synthetic/<settings-hash>/` (cache: FER_CACHE_DIR or
 * <repo>/.cache/fer-au, lib/data defaultCacheDir). Concurrent runs (sweep shards on one machine) may race: each
 * writes into its own temporary folder and renames it into place; the loser discards its copy.
 */
import * as fs from 'fs';
import * as path from 'path';
import { contentKey, defaultCacheDir } from '../data/cache';
import { SYNTHETIC_VERSION, writeSyntheticDisfa } from '../data/synthetic';
import type { SyntheticSettings } from './config';

/** Cache folder of a synthetic set with these settings. */
export function syntheticDatasetDir(s: SyntheticSettings, cacheDir = defaultCacheDir()): string {
  const key = contentKey('fer-au-synthetic-disfa', SYNTHETIC_VERSION, s.subjects, s.frames, s.size, s.seed).slice(0, 16);
  return path.join(cacheDir, 'synthetic', key);
}

/** Returns the root of the synthetic set described by `s`, generating it first when it is not cached. */
export async function ensureSyntheticDataset(
  s: SyntheticSettings,
  opts: { cacheDir?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<string> {
  const dir = syntheticDatasetDir(s, opts.cacheDir);
  if (fs.existsSync(path.join(dir, 'fer-au-synthetic.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await writeSyntheticDisfa({ out: tmp, subjects: s.subjects, frames: s.frames, size: s.size, seed: s.seed, onProgress: opts.onProgress });
  try {
    fs.renameSync(tmp, dir);
  } catch (err) {
    // another process finished first (target exists): keep theirs
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'fer-au-synthetic.json'))) throw err;
  }
  return dir;
}
