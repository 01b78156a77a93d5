/**
 * The one loader of the published-facts manifests in data-manifests/ (baselines.json, imagenet-top1.json): a JSON
 * object with `schemaVersion: 1` and a non-empty `rows` list, each row checked by the caller. Every error is one
 * line naming the file and the field: `<file>: rows[2].perAu.AU09 must be a number in [0, 100], got x`.
 */
import * as path from 'path';
import { readJson } from './fs';

/** data-manifests/ of this checkout (or installed package). */
export const MANIFESTS_DIR = path.join(__dirname, '..', '..', 'data-manifests');

/** Throws `<file>: <field> <why>`. */
export type ManifestFail = (field: string, why: string) => never;

export interface ManifestChecks {
  /** Checks top-level fields besides schemaVersion and rows. */
  top?: (raw: Record<string, unknown>, fail: ManifestFail) => void;
  /** Checks one row; `at` is its field name (`rows[i]`). */
  row: (row: Record<string, unknown>, at: string, fail: ManifestFail) => void;
}

/** Reads `file`, checks it (schemaVersion 1, non-empty rows, then `checks`) and returns it as T. */
export function loadManifest<T>(file: string, checks: ManifestChecks): T {
  const raw = readJson<Record<string, unknown>>(file);
  const fail: ManifestFail = (field, why) => {
    throw new Error(`${file}: ${field} ${why}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('(top level)', 'must be an object');
  if (raw.schemaVersion !== 1) fail('schemaVersion', `must be 1, got ${JSON.stringify(raw.schemaVersion)}`);
  checks.top?.(raw, fail);
  if (!Array.isArray(raw.rows) || raw.rows.length === 0) fail('rows', 'must be a non-empty list');
  (raw.rows as unknown[]).forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) fail(`rows[${i}]`, 'must be an object');
    checks.row(row as Record<string, unknown>, `rows[${i}]`, fail);
  });
  return raw as unknown as T;
}

/** Fails unless each of `keys` is a non-empty string in `row`. */
export function requireStrings(row: Record<string, unknown>, keys: readonly string[], at: string, fail: ManifestFail): void {
  for (const k of keys) if (typeof row[k] !== 'string' || row[k] === '') fail(`${at}.${k}`, 'must be a non-empty string');
}
