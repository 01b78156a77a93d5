/**
 * Results as danfojs-node DataFrames, the tables a pandas user reaches for: one row per run (`runsFrame`) and one
 * per run x AU (`perAuFrame`), and the fold averages of a sweep (`foldSummaryFrame`). Group, sort and export them
 * with danfo's own API (`df.groupby(['loss']).col(['f1']).mean()`, `df.sortValues('meanF1', { ascending: false })`,
 * `frameCsv(df)`).
 *
 * danfojs-node takes about 3 s to load (mathjs, papaparse), so it is required when a frame is first built, not
 * when lib/results is imported. The row builders (`runRows`, `perAuRows`) are plain objects and need no danfo.
 * Missing numbers are NaN, never null: danfo's describe() fails on null, and CSV writes NaN as pandas reads it.
 */
import type { DataFrame } from 'danfojs-node';
import { writeFileAtomic } from '../util/fs';
import { listResults, readResults } from './io';
import type { ResultsFile } from './schema';
import { summarizeFolds } from './summary';

type Danfo = typeof import('danfojs-node');

/** danfojs-node, loaded on first use. */
export function danfo(): Danfo {
  return require('danfojs-node') as Danfo;
}

/** One row of `runsFrame`. */
export interface RunRow {
  runId: string;
  task: string;
  backbone: string;
  loss: string;
  fold: number;
  dataset: string;
  synthetic: boolean;
  weights: string;
  inputSize: number;
  stage1Epochs: number;
  stage2Epochs: number;
  meanF1: number;
  tunedMeanF1: number;
  meanAp: number;
  allPositiveF1: number;
  elapsedS: number;
  backend: string;
  gitCommit: string;
}

/** One row of `perAuFrame`. */
export interface AuRow {
  runId: string;
  task: string;
  backbone: string;
  loss: string;
  fold: number;
  au: string;
  precision: number;
  recall: number;
  f1: number;
  ap: number;
  support: number;
  threshold: number;
  tunedF1: number;
  tunedThreshold: number;
  allPositiveF1: number;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);

function runKeys(r: ResultsFile): Pick<RunRow, 'runId' | 'task' | 'backbone' | 'loss' | 'fold'> {
  return { runId: r.meta.runId, task: str(r.config.task), backbone: str(r.config.backbone), loss: str(r.config.loss), fold: r.data.fold };
}

/** One plain row per run, in the order given. */
export function runRows(results: ResultsFile[]): RunRow[] {
  return results.map((r) => ({
    ...runKeys(r),
    dataset: r.data.dataset,
    synthetic: r.data.synthetic,
    weights: r.meta.weights ?? 'random init',
    inputSize: num(r.config.inputSize),
    stage1Epochs: r.history.stage1.length,
    stage2Epochs: r.history.stage2.length,
    meanF1: r.metrics.meanF1,
    tunedMeanF1: num(r.metrics.tuned?.meanF1),
    meanAp: r.metrics.meanAp,
    allPositiveF1: r.metrics.baseline.allPositive.meanF1,
    elapsedS: r.meta.elapsedS,
    backend: r.meta.backend,
    gitCommit: str(r.meta.gitCommit),
  }));
}

/** One plain row per run x AU (the AUs of each run in its file's order). */
export function perAuRows(results: ResultsFile[]): AuRow[] {
  return results.flatMap((r) =>
    Object.entries(r.metrics.perAu).map(([au, m]) => ({
      ...runKeys(r),
      au,
      precision: m.precision,
      recall: m.recall,
      f1: m.f1,
      ap: m.ap,
      support: m.support,
      threshold: num(r.metrics.thresholds[au]),
      tunedF1: num(r.metrics.tuned?.perAu[au]?.f1),
      tunedThreshold: num(r.metrics.tuned?.thresholds[au]),
      allPositiveF1: num(r.metrics.baseline.allPositive.perAu[au]?.f1),
    })),
  );
}

/**
 * A DataFrame of plain rows. An empty list gives an empty frame with `columns` (danfo cannot infer them); the
 * column order is `columns` when given, else the first row's keys.
 */
export function toFrame<T extends object>(rows: T[], columns?: string[]): DataFrame {
  const dfd = danfo();
  const cols = columns ?? (rows.length ? Object.keys(rows[0]) : []);
  if (!rows.length) return new dfd.DataFrame([], { columns: cols });
  return new dfd.DataFrame(rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c])), { columns: cols });
}

/** The columns of runsFrame, in order. */
export const RUN_COLUMNS: readonly (keyof RunRow)[] = [
  'runId', 'task', 'backbone', 'loss', 'fold', 'dataset', 'synthetic', 'weights', 'inputSize', 'stage1Epochs', 'stage2Epochs',
  'meanF1', 'tunedMeanF1', 'meanAp', 'allPositiveF1', 'elapsedS', 'backend', 'gitCommit',
];
/** The columns of perAuFrame, in order. */
export const AU_COLUMNS: readonly (keyof AuRow)[] = [
  'runId', 'task', 'backbone', 'loss', 'fold', 'au', 'precision', 'recall', 'f1', 'ap', 'support', 'threshold', 'tunedF1',
  'tunedThreshold', 'allPositiveF1',
];

/** One row per run (see RunRow). */
export function runsFrame(results: ResultsFile[]): DataFrame {
  return toFrame(runRows(results), [...RUN_COLUMNS]);
}

/** One row per run x AU (see AuRow). */
export function perAuFrame(results: ResultsFile[]): DataFrame {
  return toFrame(perAuRows(results), [...AU_COLUMNS]);
}

/**
 * A sweep averaged over folds (lib/results summarizeFolds: per-AU F1 per fold, then the mean over folds), one row
 * per setting: backbone, loss, folds ('1,2,3'), one F1 column per AU, meanF1, meanAp, tunedMeanF1 (NaN unless
 * every fold has tuned thresholds), allPositiveF1, runs.
 */
export function foldSummaryFrame(results: ResultsFile[]): DataFrame {
  const groups = summarizeFolds(results);
  const aus = groups.length ? Object.keys(groups[0].perAu) : [];
  return toFrame(
    groups.map((g) => ({
      backbone: g.backbone,
      loss: g.loss,
      folds: g.folds.join(','),
      ...Object.fromEntries(aus.map((au) => [au, g.perAu[au]?.f1 ?? NaN])),
      meanF1: g.meanF1,
      meanAp: g.meanAp,
      tunedMeanF1: g.tunedMeanF1 ?? NaN,
      allPositiveF1: g.baselineMeanF1,
      runs: g.runIds.join(','),
    })),
  );
}

/** Every results file under `dir` (listResults), read and validated, as the two frames. */
export function loadResultsFrames(dir: string): { results: ResultsFile[]; runs: DataFrame; perAu: DataFrame } {
  const results = listResults(dir).map(readResults);
  return { results, runs: runsFrame(results), perAu: perAuFrame(results) };
}

/** The frame's rows as plain objects (danfo calls this JSON format 'column'); NaN becomes null, as in JSON. */
export function frameRecords(df: DataFrame): Record<string, unknown>[] {
  return danfo().toJSON(df, { format: 'column' }) as Record<string, unknown>[];
}

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); NaN as NaN, null as empty. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * The frame as CSV text: a header line, then one line per row. Written here rather than with danfo's toCSV, which
 * (1.2.0) leaves fields holding commas unquoted ('1,2,3' in `folds` would split into three columns).
 */
export function frameCsv(df: DataFrame): string {
  const rows = df.values as unknown[][];
  return [df.columns, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Writes `df` as CSV (frameCsv) to `file` atomically (its folder is created). */
export function writeFrameCsv(df: DataFrame, file: string): void {
  writeFileAtomic(file, frameCsv(df));
}
