/**
 * The results file schema (shared/design.md, contracts.md): one JSON file per run,
 * `results/<task>/<runId>.json`. Figures and notebooks read these files only.
 *
 * Version 2 (written now). Fields beyond the contract: meta.runId and meta.weights (which weights were loaded, from
 * where), data.valSubjects, metrics.meanAp, metrics.baseline (the all-positive baseline), metrics.tuned, metrics.ci
 * (bootstrap intervals over the test subjects; optional).
 * Since version 2: metrics.stage1, the restored stage-1 model on the same test frames (before fine-tuning), and no
 * machine paths: data.root and config.dataset.root / config.weights hold 'embedded' or a `path-sha256:` reference
 * (lib/train run_id.ts), never an absolute path.
 * Version 1 files (no metrics.stage1; data.root an absolute path) are still read.
 */

import type { SubjectBootstrapCi } from '../metrics/bootstrap';

export const SCHEMA_VERSION = 2;
/** Versions validateResults reads. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

export interface RunMeta {
  runId: string;
  /** ISO 8601 time the run finished. */
  date: string;
  /** `git rev-parse HEAD` of the checkout (with '-dirty' when the tree had changes), null outside git. */
  gitCommit: string | null;
  /** The command line that produced the file. */
  command: string;
  backend: string;
  tfjsVersion: string;
  host: string;
  /** Wall-clock seconds of the whole run (summed over resumed sessions). */
  elapsedS: number;
  /** What weights the backbone started from (lib/models WeightReport summary), null for random initialisation. */
  weights: string | null;
}

/** One epoch of one stage. valMeanF1 at threshold 0.5 over the validation subjects. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss: number;
  valMeanF1: number;
  lr: number;
  seconds: number;
}

export interface AuMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Average precision (scikit-learn's average_precision_score) of the scores. */
  ap: number;
  /** Positive frames in the test fold. */
  support: number;
}

export interface ThresholdedMetrics {
  perAu: Record<string, AuMetrics>;
  /** Mean of per-AU F1 over the AUs. */
  meanF1: number;
  /** Per-AU decision thresholds on the sigmoid score. */
  thresholds: Record<string, number>;
}

export interface ResultsMetrics extends ThresholdedMetrics {
  /** Mean AP over the AUs. */
  meanAp: number;
  /** Thresholds tuned on the validation subjects (F1-optimal per AU), applied to the test fold. */
  tuned?: ThresholdedMetrics;
  /** Predicting every AU present in every frame: F1_k = 2 p_k / (1 + p_k), p_k the test positive rate. */
  baseline: { allPositive: { perAu: Record<string, { precision: number; recall: number; f1: number }>; meanF1: number } };
  /** 95% intervals over a bootstrap of the test subjects (lib/metrics subjectBootstrap); absent in older files. */
  ci?: SubjectBootstrapCi;
  /** The restored stage-1 model (head on the frozen backbone) on the same test frames; schema >= 2. */
  stage1?: Stage1Metrics;
}

/**
 * Test metrics of the stage-1 model: F1 at 0.5 per AU and mean; lib/train also writes the thresholds (0.5), the
 * mean AP and the metrics at thresholds tuned on validation (optional in the schema so readers can fill parts).
 */
export interface Stage1Metrics {
  perAu: Record<string, AuMetrics>;
  meanF1: number;
  thresholds?: Record<string, number>;
  meanAp?: number;
  tuned?: ThresholdedMetrics;
}

export interface Curve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

export interface DataSummary {
  dataset: string;
  /** 'embedded' (the synthetic default) or the `path-sha256:` reference of the dataset root (schema 1: the path). */
  root: string;
  synthetic: boolean;
  fold: number;
  trainSubjects: string[];
  valSubjects: string[];
  testSubjects: string[];
  counts: {
    trainFrames: number;
    valFrames: number;
    testFrames: number;
    trainPositives: Record<string, number>;
    valPositives: Record<string, number>;
    testPositives: Record<string, number>;
  };
}

export interface ResultsFile {
  schemaVersion: number;
  meta: RunMeta;
  /** The fully resolved ExperimentConfig. */
  config: Record<string, unknown>;
  data: DataSummary;
  history: { stage1: EpochRecord[]; stage2: EpochRecord[] };
  metrics: ResultsMetrics;
  curves: Record<string, Curve>;
}

/** A results file that does not match the schema; the message names the file and the field. */
export class ResultsSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultsSchemaError';
  }
}

type Check = (v: unknown, field: string) => void;

/**
 * Checks `value` against the schema; throws ResultsSchemaError `<source>: <field>: <problem>`.
 * Unknown keys are rejected at every level except `config` (validated by lib/train) and the AU-keyed maps.
 */
export function validateResults(value: unknown, source = 'results'): ResultsFile {
  const bad = (field: string, msg: string): never => {
    throw new ResultsSchemaError(`${source}: ${field}: ${msg}`);
  };
  const show = (v: unknown) => {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  const num: Check = (v, f) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(f, `must be a finite number, got ${show(v)}`);
  };
  const unit: Check = (v, f) => {
    num(v, f);
    if ((v as number) < 0 || (v as number) > 1) bad(f, `must be in [0, 1], got ${show(v)}`);
  };
  const count: Check = (v, f) => {
    num(v, f);
    if (!Number.isInteger(v) || (v as number) < 0) bad(f, `must be a count (integer >= 0), got ${show(v)}`);
  };
  const str: Check = (v, f) => {
    if (typeof v !== 'string') bad(f, `must be a string, got ${show(v)}`);
  };
  const nullable = (c: Check): Check => (v, f) => {
    if (v !== null) c(v, f);
  };
  const bool: Check = (v, f) => {
    if (typeof v !== 'boolean') bad(f, `must be true or false, got ${show(v)}`);
  };
  const array = (c: Check): Check => (v, f) => {
    if (!Array.isArray(v)) bad(f, `must be an array, got ${show(v)}`);
    (v as unknown[]).forEach((x, i) => c(x, `${f}[${i}]`));
  };
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const object = (shape: Record<string, Check>, optional: string[] = []): Check => (v, f) => {
    if (!isObj(v)) bad(f, `must be an object, got ${show(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!(k in shape)) bad(f ? `${f}.${k}` : k, 'unknown field');
    for (const [k, c] of Object.entries(shape)) {
      const field = f ? `${f}.${k}` : k;
      if (!(k in o)) {
        if (optional.includes(k)) continue;
        bad(field, 'missing');
      }
      c(o[k], field);
    }
  };
  const auMap = (c: Check): Check => (v, f) => {
    if (!isObj(v)) bad(f, `must be an object keyed by AU, got ${show(v)}`);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!/^AU\d\d$/.test(k)) bad(`${f}.${k}`, `keys must be AU names like AU01, got '${k}'`);
      c(x, `${f}.${k}`);
    }
  };
  const epoch = object({ epoch: count, loss: num, valLoss: num, valMeanF1: unit, lr: num, seconds: num });
  const auMetrics = object({ precision: unit, recall: unit, f1: unit, ap: unit, support: count });
  const thresholded = object({ perAu: auMap(auMetrics), meanF1: unit, thresholds: auMap(num) });
  const interval = object({ estimate: num, low: num, high: num });
  const ci: Check = (v, f) => {
    object(
      { method: str, level: unit, resamples: count, seed: count, subjects: count, meanF1: interval, tunedMeanF1: interval, meanAp: interval },
      ['tunedMeanF1'],
    )(v, f);
    const c = v as SubjectBootstrapCi;
    // The estimate may lie outside a percentile interval (skewed resampling distribution); low <= high always.
    for (const k of ['meanF1', 'tunedMeanF1', 'meanAp'] as const) {
      const iv = c[k];
      if (iv && !(iv.low <= iv.high)) bad(`${f}.${k}`, `low ${iv.low} above high ${iv.high}`);
    }
  };
  const curve: Check = (v, f) => {
    object({ precision: array(unit), recall: array(unit), thresholds: array(num) })(v, f);
    const c = v as Curve;
    if (c.precision.length !== c.recall.length) bad(`${f}.recall`, `length ${c.recall.length} differs from precision's ${c.precision.length}`);
    if (c.thresholds.length !== c.precision.length - 1) {
      bad(`${f}.thresholds`, `length must be precision's minus 1 (${c.precision.length - 1}), got ${c.thresholds.length}`);
    }
  };
  const check = object({
    schemaVersion: (v, f) => {
      if (!READABLE_SCHEMA_VERSIONS.includes(v as number)) bad(f, `unsupported schema version ${show(v)} (this code reads ${READABLE_SCHEMA_VERSIONS.join(', ')})`);
    },
    meta: object({
      runId: str,
      date: (v, f) => {
        str(v, f);
        if (Number.isNaN(Date.parse(v as string))) bad(f, `must be an ISO date, got ${show(v)}`);
      },
      gitCommit: nullable(str),
      command: str,
      backend: str,
      tfjsVersion: str,
      host: str,
      elapsedS: num,
      weights: nullable(str),
    }),
    config: (v, f) => {
      if (!isObj(v)) bad(f, `must be an object, got ${show(v)}`);
    },
    data: object({
      dataset: str,
      root: str,
      synthetic: bool,
      fold: count,
      trainSubjects: array(str),
      valSubjects: array(str),
      testSubjects: array(str),
      counts: object({
        trainFrames: count,
        valFrames: count,
        testFrames: count,
        trainPositives: auMap(count),
        valPositives: auMap(count),
        testPositives: auMap(count),
      }),
    }),
    history: object({ stage1: array(epoch), stage2: array(epoch) }),
    metrics: object(
      {
        perAu: auMap(auMetrics),
        meanF1: unit,
        meanAp: unit,
        thresholds: auMap(num),
        tuned: thresholded,
        baseline: object({
          allPositive: object({ perAu: auMap(object({ precision: unit, recall: unit, f1: unit })), meanF1: unit }),
        }),
        ci,
        stage1: object({ perAu: auMap(auMetrics), meanF1: unit, thresholds: auMap(num), meanAp: unit, tuned: thresholded }, ['thresholds', 'meanAp', 'tuned']),
      },
      ['tuned', 'ci', 'stage1'],
    ),
    curves: auMap(curve),
  });
  check(value, '');
  const r = value as ResultsFile;
  if (r.schemaVersion >= 2) {
    if (!r.metrics.stage1) bad('metrics.stage1', `missing (required from schema version 2)`);
    const machinePath = (v: unknown) => typeof v === 'string' && (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'));
    if (machinePath(r.data.root)) bad('data.root', `must not be a machine path (schema 2: 'embedded' or a path-sha256: reference), got ${show(r.data.root)}`);
    const cfg = r.config as { dataset?: { root?: unknown }; weights?: unknown };
    if (machinePath(cfg.dataset?.root)) bad('config.dataset.root', `must not be a machine path, got ${show(cfg.dataset?.root)}`);
    if (machinePath(cfg.weights)) bad('config.weights', `must not be a machine path, got ${show(cfg.weights)}`);
  }
  const aus = Object.keys(r.metrics.perAu);
  for (const au of aus) {
    if (!(au in r.metrics.thresholds)) bad(`metrics.thresholds.${au}`, 'missing (every AU in metrics.perAu needs a threshold)');
    if (!(au in r.curves)) bad(`curves.${au}`, 'missing (every AU in metrics.perAu needs a curve)');
    if (r.metrics.stage1 && !(au in r.metrics.stage1.perAu)) bad(`metrics.stage1.perAu.${au}`, 'missing (metrics.stage1 covers the same AUs as metrics.perAu)');
  }
  return r;
}
