/**
 * Run identity: ids that cannot collide, and configs that carry no machine paths.
 *
 * A run id is a readable prefix plus a hash of everything that changes the result:
 *   `<name>-<backbone>-<loss>-fold<k>-seed<s>-<size>px-<hash>`   e.g. quick-mobilenet_v1-bce-weighted-fold1-seed1-128px-3f9a0c21be
 * hash = the first 10 hex digits of sha256 over the canonical JSON of the portable config (below) without `task`
 * (the results folder does not change the result: the loss comparison's LSEP run is also the backbone survey's).
 * The portable config is the fully resolved config with the data root and a weights file replaced by references:
 * - dataset.root: null (the embedded synthetic set, described by dataset.synthetic) stays null;
 *   a path becomes `path-sha256:<16 hex>` of its normalised absolute path (realpath when it exists, no trailing
 *   separator), so two copies of DISFA in different folders get different ids, and the results file does not
 *   hold the path;
 * - weights: 'embedded' and null stay; a file path becomes `path-sha256:<16 hex>` of its normalised path.
 * References pass through unchanged (portableConfig is idempotent), so the id computed from a results file's
 * config equals the id of the run that wrote it, and reuse-or-train lookups find runs by id.
 */
import { SYNTHETIC_VERSION } from '../data/synthetic/writer';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { canonicalJson } from '../results/canonical';
import type { ExperimentConfig } from './config';

const REF_PREFIX = 'path-sha256:';

/** True for a reference made by pathRef (not a path). */
export function isPathRef(v: string): boolean {
  return v.startsWith(REF_PREFIX);
}

/** The normalised absolute form of a path: resolved, symlinks followed when it exists, no trailing separator. */
export function normalisePath(p: string): string {
  let abs = path.resolve(p);
  try {
    abs = fs.realpathSync.native(abs);
  } catch {
    // a path that does not exist (yet) is identified by its resolved form
  }
  return abs.length > 1 ? abs.replace(/[\\/]+$/, '') : abs;
}

/** `path-sha256:<16 hex>` of a path's normalised absolute form; a reference is returned as it is. */
export function pathRef(p: string): string {
  if (isPathRef(p)) return p;
  return `${REF_PREFIX}${createHash('sha256').update(normalisePath(p)).digest('hex').slice(0, 16)}`;
}

/** The dataset's identity: 'embedded' for the synthetic default, else the path reference of the root. */
export function dataRootRef(root: string | null): string {
  return root === null ? 'embedded' : pathRef(root);
}

/** The weights' identity: 'embedded', 'random' (null), or the path reference of a weights file. */
export function weightsRef(weights: string | null): string {
  if (weights === null) return 'random';
  return weights === 'embedded' ? 'embedded' : pathRef(weights);
}

/** The config with the data root and weights file replaced by path references (what results files store). */
export function portableConfig(c: ExperimentConfig): ExperimentConfig {
  const out = structuredClone(c);
  if (out.dataset.root !== null) out.dataset.root = pathRef(out.dataset.root);
  if (out.weights !== null && out.weights !== 'embedded') out.weights = pathRef(out.weights);
  return out;
}

/** 10 hex digits of sha256 over everything that changes the result of `c` (its portable config without task). */
export function runHash(c: ExperimentConfig): string {
  const { task: _task, ...rest } = portableConfig(c);
  // The embedded synthetic set changes when its renderer does (SYNTHETIC_VERSION): its runs are other runs.
  const data = c.dataset.root === null ? { syntheticVersion: SYNTHETIC_VERSION } : {};
  return createHash('sha256').update(canonicalJson({ runIdVersion: 2, config: rest, ...data })).digest('hex').slice(0, 10);
}

/** The readable part of a run id: preset, backbone, loss, fold, seed and input size. */
export function runIdPrefix(c: ExperimentConfig): string {
  return `${c.name}-${c.backbone}-${c.loss}-fold${c.fold}-seed${c.seed}-${c.inputSize}px`;
}

/** The run id: readable prefix + hash; deterministic, so sweep shards and `--resume` find the same directory. */
export function runId(c: ExperimentConfig): string {
  return `${runIdPrefix(c)}-${runHash(c)}`;
}
