/**
 * `fer-au data check`: validate a dataset copy and summarise it as one JSON-ready object
 * (contract in shared/design.md): {dataset, root, subjects: [{id, frames, images|video}], aus,
 * positives: {AU01: n, ...}, threshold, folds: [[...],[...],[...]], problems: [...]}.
 * Every problem is listed (file and line), not only the first.
 */
import { PRESENCE_THRESHOLD } from './aus';
import { scanBosphorus, type BosphorusOptions } from './bosphorus';
import { scanCeleba, type CelebaOptions } from './celeba';
import { scanDisfa, type DisfaOptions } from './disfa';
import { datasetStats } from './labels';
import type { DataProblem, DatasetName, FrameRecord, SubjectSummary } from './types';

/** One subject of the report: the readers' own summary. */
export type CheckSubject = SubjectSummary;

export interface CheckReport {
  dataset: DatasetName;
  root: string;
  subjects: CheckSubject[];
  aus: string[];
  /** Frames in which each label is present (intensity >= threshold). */
  positives: Record<string, number>;
  threshold: number;
  /** DISFA: the subjects of each test part present in this copy; [] for datasets without folds. */
  folds: string[][];
  problems: DataProblem[];
  /** DISFA: not problems, but stated: video/label frame-count mismatches and the frames used. */
  warnings?: DataProblem[];
  /** Frames indexed (labelled and with an image). */
  frames: number;
  /** Synthetic provenance (fer-au-synthetic.json), when present. */
  synthetic?: Record<string, unknown> | null;
  /** Extra per-dataset facts (CelebA partitions, Bosphorus categories). */
  extra?: Record<string, unknown>;
}

export type CheckOptions = DisfaOptions & CelebaOptions & BosphorusOptions;

function positivesOf(frames: FrameRecord[], aus: string[]): Record<string, number> {
  return datasetStats({ frames, aus }, aus, PRESENCE_THRESHOLD).positives;
}

/** Validates `root` as `dataset` and returns the summary with every problem found. */
export function checkDataset(dataset: DatasetName, root: string, opts: CheckOptions = {}): CheckReport {
  if (dataset === 'disfa') {
    const scan = scanDisfa(root, opts);
    const problems = scan.problems.slice();
    const present = new Set(scan.subjects.map((s) => s.id));
    const folds = scan.manifest.folds.map((f) => f.filter((s) => present.has(s)));
    // The manifest's folds must partition its subjects.
    const where = new Map<string, number>();
    scan.manifest.folds.forEach((fold, k) => {
      for (const s of fold) {
        if (!scan.manifest.subjects.includes(s)) problems.push({ code: 'bad-manifest', file: scan.manifestFile, message: `fold ${k + 1} lists unknown subject ${s}` });
        if (where.has(s)) problems.push({ code: 'bad-manifest', file: scan.manifestFile, message: `${s} is in fold ${where.get(s)} and fold ${k + 1}` });
        where.set(s, k + 1);
      }
    });
    for (const s of scan.manifest.subjects) {
      if (!where.has(s)) problems.push({ code: 'bad-manifest', file: scan.manifestFile, message: `${s} is in no fold` });
    }
    if (scan.subjects.length > 0) {
      folds.forEach((f, k) => {
        if (f.length === 0) {
          problems.push({ code: 'empty-fold', file: scan.manifestFile, message: `fold ${k + 1} has none of its subjects (${scan.manifest.folds[k].join(' ')}) in this copy: it cannot be tested` });
        }
      });
    }
    return {
      dataset,
      root: scan.root,
      subjects: scan.subjects,
      aus: scan.aus,
      positives: positivesOf(scan.frames, scan.aus),
      threshold: PRESENCE_THRESHOLD,
      folds,
      problems,
      warnings: scan.warnings,
      frames: scan.frames.length,
      synthetic: scan.synthetic,
    };
  }
  if (dataset === 'celeba') {
    const scan = scanCeleba(root, opts);
    return {
      dataset,
      root: scan.root,
      subjects: (['train', 'val', 'test'] as const).map((p) => ({ id: p, frames: scan.partitions[p], images: scan.partitions[p] })),
      aus: scan.attributes,
      positives: positivesOf(scan.frames, scan.attributes),
      threshold: PRESENCE_THRESHOLD,
      folds: [],
      problems: scan.problems,
      frames: scan.frames.length,
      extra: { allAttributes: scan.allAttributes, imagesDir: scan.imagesDir },
    };
  }
  if (dataset === 'bosphorus') {
    const scan = scanBosphorus(root, opts);
    return {
      dataset,
      root: scan.root,
      subjects: scan.subjects,
      aus: scan.aus,
      positives: positivesOf(scan.frames, scan.aus),
      threshold: PRESENCE_THRESHOLD,
      folds: [],
      problems: scan.problems,
      frames: scan.frames.length,
      extra: { categories: scan.categories, withLandmarks: scan.frames.filter((f) => f.landmarks).length },
    };
  }
  throw new Error(`checkDataset: unknown dataset '${dataset as string}' (valid: disfa, celeba, bosphorus)`);
}
