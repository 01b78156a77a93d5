/**
 * Dataset manifests (data-manifests/<name>.json): layout templates, subjects, folds, published counts and
 * what `fer-au data check` verifies. Paths from a manifest are resolved inside the dataset root only.
 */
import * as path from 'path';
import { readJson } from '../util/fs';
import type { DataProblem, DatasetName } from './types';

/** data-manifests/ at the repository (or installed package) root. */
export const MANIFEST_DIR = path.resolve(__dirname, '..', '..', 'data-manifests');

export interface DisfaManifest {
  name: 'disfa';
  layout: { labels: string; framesDir: string; frameFile: string; frameExtensions: string[]; video: string; syntheticProvenance: string };
  aus: string[];
  paperAus: string[];
  presenceThreshold: number;
  intensityRange: [number, number];
  subjects: string[];
  /** part1, part2, part3 as the JAA-Net / ME-GraphAU code lists them. */
  parts?: string[][];
  /** folds[k - 1]: the test subjects of fold k (ME-GraphAU numbering: fold 1 tests part3, fold 3 tests part1). */
  folds: string[][];
  counts: {
    framesPerSubject: number;
    framesPerSubjectExceptions: Record<string, number>;
    totalFrames: number;
    paperTable1Positives: Record<string, number>;
  };
  checks: string[];
}

export interface CelebaManifest {
  name: 'celeba';
  layout: { attributes: string[]; partition: string[]; images: string[] };
  attributes: string[];
  defaultTarget: string[];
  partitions: Record<string, number>;
  counts: Record<string, number>;
  checks: string[];
}

export interface BosphorusManifest {
  name: 'bosphorus';
  layout: { subjectDir: string; image: string; landmarks2d: string };
  naming: { categories: Record<string, string> };
  counts: Record<string, number>;
  checks: string[];
}

export type Manifest = DisfaManifest | CelebaManifest | BosphorusManifest;

/** Reads `file` (default data-manifests/<name>.json) and checks the fields the readers use. */
export function loadManifest(name: 'disfa', file?: string): DisfaManifest;
export function loadManifest(name: 'celeba', file?: string): CelebaManifest;
export function loadManifest(name: 'bosphorus', file?: string): BosphorusManifest;
export function loadManifest(name: DatasetName, file?: string): Manifest;
export function loadManifest(name: DatasetName, file = path.join(MANIFEST_DIR, `${name}.json`)): Manifest {
  const m = readJson<Record<string, unknown>>(file);
  const need = (key: string, ok: boolean) => {
    if (!ok) throw new Error(`${file}: field '${key}' is missing or malformed`);
  };
  need('name', m.name === name);
  need('layout', typeof m.layout === 'object' && m.layout !== null);
  if (name === 'disfa') {
    const layout = m.layout as Record<string, unknown>;
    for (const k of ['labels', 'framesDir', 'frameFile', 'video', 'syntheticProvenance']) need(`layout.${k}`, typeof layout[k] === 'string');
    need('layout.frameExtensions', Array.isArray(layout.frameExtensions));
    need('aus', Array.isArray(m.aus));
    need('subjects', Array.isArray(m.subjects));
    need('folds', Array.isArray(m.folds) && (m.folds as unknown[]).every((f) => Array.isArray(f)));
    need('counts', typeof m.counts === 'object' && m.counts !== null);
  }
  return m as unknown as Manifest;
}

/** Fills `{subject}`, `{au}`, `{frame:05d}` style placeholders of a layout template. */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?::0(\d+)d)?\}/g, (whole, key: string, width?: string) => {
    const v = values[key];
    if (v === undefined) return whole;
    return width ? String(v).padStart(Number(width), '0') : String(v);
  });
}

/**
 * Resolves a manifest-relative path inside `root`. A path that escapes the root (`..`, an absolute path)
 * is reported as a problem against `manifestFile` and null is returned.
 */
export function resolveInRoot(root: string, rel: string, problems: DataProblem[], manifestFile: string): string | null {
  const abs = path.resolve(root, rel);
  const relBack = path.relative(root, abs);
  if (path.isAbsolute(rel) || relBack === '..' || relBack.startsWith(`..${path.sep}`) || path.isAbsolute(relBack)) {
    problems.push({ code: 'path-escapes-root', file: manifestFile, message: `layout path '${rel}' resolves to ${abs}, outside the dataset root ${root}` });
    return null;
  }
  return abs;
}
