/**
 * Where derived data lives (extracted video frames, aligned crops, pooled features): FER_CACHE_DIR, or
 * `.cache/fer-au/` in the repository root (git-ignored). Never inside a dataset copy.
 */
import * as crypto from 'crypto';
import * as path from 'path';

/** The cache root: FER_CACHE_DIR when set, else <repo>/.cache/fer-au. */
export function defaultCacheDir(): string {
  const env = process.env.FER_CACHE_DIR;
  if (env && env.trim()) return path.resolve(env);
  return path.resolve(__dirname, '..', '..', '.cache', 'fer-au');
}

/** Hex SHA-256 of the JSON of `parts` (stable: keys in the order given). */
export function contentKey(...parts: unknown[]): string {
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
