/**
 * Typed experiment configuration: everything a run depends on, in one plain object that is validated,
 * saved verbatim (fully resolved) in every run directory and results file, and compared on `--resume`.
 *
 * Configs are plain data (nanoGPT / py-feat style): presets are `const` objects in presets.ts, a notebook
 * overrides fields with a spread (`{...PRESETS.quick, loss: 'pr'}`), a JSON file overrides a preset or
 * stands alone (`--config FILE`). `validateConfig` rejects unknown keys and impossible values, naming the field.
 */
import * as fs from 'fs';
import { LOSS_NAMES, type LossName } from '../losses';
import { BACKBONE_NAMES, type BackboneName } from '../models/types';
import type { AugmentConfig } from '../data/augment';
import { canonicalJson } from '../results/canonical';
import { DISFA_AUS } from '../data/aus';
import { LR_SCHEDULE_NAMES, type LrScheduleName } from './lr_schedule';

/** The backbones of the paper (lib/models' registry). */
export { BACKBONE_NAMES, type BackboneName };

/** Loss names understood by lib/losses `getLoss`; `bce-weighted` takes per-AU positive weights from training labels. */
export { LOSS_NAMES, type LossName };

/** Settings of the synthetic DISFA generator (lib/data writeSyntheticDisfa), used when no dataset root is given. */
export interface SyntheticSettings {
  /** Number of subjects (DISFA ids in order; 27 = all, so the real folds apply). */
  subjects: number;
  /** Frames per subject. */
  frames: number;
  /** Side of the square face images, pixels. */
  size: number;
  /** Generator seed. */
  seed: number;
}

export interface DatasetConfig {
  name: 'disfa';
  /** Dataset root in DISFA's layout; null: generate (once, cached) the synthetic set described by `synthetic`. */
  root: string | null;
  /** Evenly subsample this many frames per subject (null: all frames). */
  framesPerSubject: number | null;
  synthetic: SyntheticSettings;
}

/** One stage of the two-stage transfer (fastai `fine_tune` / Keras transfer-learning guide). */
export interface StageConfig {
  /** Maximum number of epochs (stage 2: 0 skips fine-tuning). */
  epochs: number;
  /** Adam learning rate. */
  learningRate: number;
  batchSize: number;
  /** Early stopping: stop after this many epochs without an improvement of the monitored value (0: never stop early). */
  patience: number;
  /** Minimum decrease of the validation loss that counts as an improvement. */
  minDelta: number;
}

export interface FineTuneConfig extends StageConfig {
  /**
   * Which backbone layers to unfreeze: null unfreezes all; a Keras layer-name prefix (e.g. 'conv_dw_12',
   * 'conv5_block') unfreezes from the first layer with that prefix to the end (AuModel.unfreezeFrom).
   */
  unfreezeFrom: string | null;
  /**
   * Keep the backbone's BatchNorm layers frozen (inference mode: moving statistics, no gamma/beta updates) while
   * the rest fine-tunes, as the Keras fine-tuning guide advises: batch statistics of small batches are noisy and
   * would wreck the pretrained ones. The head's BatchNorm keeps training.
   */
  freezeBatchNorm: boolean;
  /**
   * Gradient accumulation: split each optimizer batch into micro-batches of at most this many images, sum their
   * gradients and apply them once (fit.ts accumulatedStep); the step equals a whole-batch step up to float
   * rounding. Only memory changes (a smaller peak heap, e.g. the paper preset on wasm). null or absent: on wasm
   * chosen from the 4 GiB heap ceiling (micro_batch.ts: the whole batch when it fits), elsewhere the whole batch.
   */
  microBatchSize?: number | null;
  /**
   * The head's BatchNorm during fine-tuning (HEAD_BATCH_NORM_MODES; absent = 'train'):
   * - 'train': training mode (batch statistics, moving statistics updated), as before;
   * - 'frozen': trainable = false after unfreezing, i.e. inference mode with the stage-1 moving statistics, no
   *   gamma/beta updates;
   * - 'recalibrate': training mode, and before every validation and the test evaluation the head's moving
   *   mean/variance are recomputed from the training frames' pooled features (backbone in inference mode), a
   *   precise-BN pass.
   */
  headBatchNorm?: HeadBatchNorm;
  /**
   * Learning-rate schedule over the stage's optimizer steps (lib/train/lr_schedule; absent = 'constant'):
   * 'warmup-cosine' rises linearly to `learningRate` over `warmupFraction` of the steps, then decays by half a
   * cosine (Keras CosineDecay with warm-up).
   */
  schedule?: LrScheduleName;
  /** Share of the optimizer steps spent warming up with 'warmup-cosine' (absent = 0). */
  warmupFraction?: number;
  /**
   * What early stopping and restore-best watch in stage 2 (MONITORS; absent = 'val_loss'): 'val_loss' (lower is
   * better, Keras's default) or 'val_mean_f1' (validation mean F1 at 0.5, higher is better: the protocol's metric,
   * as AU detectors select checkpoints; fine-tuning makes the loss overconfident while F1 still rises).
   */
  monitor?: Monitor;
  /**
   * Precise BatchNorm (lib/train/precise_batch_norm; absent = false): before every validation, the moving statistics
   * of every BatchNorm that trains are recomputed from training batches, so the inference-mode model that validation
   * and test see normalises as training does now. For networks whose BatchNorm trains from a fresh start (random
   * initialisation), where momentum 0.99 lags for hundreds of steps. Not filled in by CONFIG_DEFAULTS, so configs
   * without it keep their run ids.
   */
  preciseBatchNorm?: boolean;
}

/** Values early stopping can watch (FineTuneConfig.monitor). */
export const MONITORS = ['val_loss', 'val_mean_f1'] as const;
export type Monitor = (typeof MONITORS)[number];

/** How stage 2 treats the head's BatchNorm (FineTuneConfig.headBatchNorm). */
export const HEAD_BATCH_NORM_MODES = ['train', 'frozen', 'recalibrate'] as const;
export type HeadBatchNorm = (typeof HEAD_BATCH_NORM_MODES)[number];

/** Values of optional fields that a config may leave out (validateConfig fills them in). */
export const CONFIG_DEFAULTS = {
  stage2: { microBatchSize: null, headBatchNorm: 'train' as HeadBatchNorm, schedule: 'constant' as LrScheduleName, warmupFraction: 0, monitor: 'val_loss' as Monitor },
} as const;

/**
 * Training-time augmentation of stage 2 (lib/data AugmentConfig: random square crop, horizontal flip, colour
 * jitter; sampled per (seed, epoch, frame)). Stage 1 trains on cached features of un-augmented images.
 */
export type AugmentSettings = Required<AugmentConfig>;

export interface ExperimentConfig {
  /** Name of the preset or config the run came from; part of the run id. */
  name: string;
  /** Results folder the run belongs to: 'backbone-survey', 'transfer-stages', 'loss-comparison', 'f1-analysis', ... */
  task: string;
  dataset: DatasetConfig;
  /** Test fold (ME-GraphAU numbering, lib/data folds.ts): 1 tests part3, 2 tests part2, 3 tests part1. */
  fold: 1 | 2 | 3;
  /** AUs to learn, in output order. */
  aus: string[];
  backbone: BackboneName;
  /** MobileNet width multiplier (1 for the paper; smaller only for tests without pretrained weights). */
  alpha: number;
  /** Side of the square network input, pixels. */
  inputSize: number;
  /** 'embedded': the weights shipped in npm packages; a path: .h5 or model.json; null: random initialisation. */
  weights: 'embedded' | string | null;
  /** Dropout rate of the head (paper: 0.2). */
  dropout: number;
  loss: LossName;
  /**
   * 'bce-weighted' only, optional (absent = 0; absent keys stay out of run ids): after training, the output bias
   * is lowered by tau * log(w_k), moving the 0.5 cut from the posterior 1 / (1 + w_k) back toward 0.5 (post-hoc
   * logit adjustment, lib/train/score_correction.ts). tau in [0, 1].
   */
  posWeightCorrection?: number;
  /** Fraction of the training subjects held out (subject-exclusive) for validation, early stopping and thresholds. */
  validationFraction: number;
  stage1: StageConfig;
  stage2: FineTuneConfig;
  augment: AugmentSettings | null;
  /** Batch size for inference (feature extraction, validation, test). */
  evalBatchSize: number;
  /** One seed for data order, augmentation, dropout and initialisation (each derived with deriveSeed). */
  seed: number;
}

/** `c` without `posWeightCorrection` (for runs of another loss, or comparisons of the losses as defined). */
export function withoutScoreCorrection<T extends { posWeightCorrection?: number }>(c: T): T {
  const { posWeightCorrection: _, ...rest } = c;
  return rest as T;
}

/** A bad config: message names the source (file) and the field path. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Check = (value: unknown, field: string) => void;

function fail(source: string | undefined, field: string, msg: string): never {
  throw new ConfigError(`${source ? `${source}: ` : ''}${field}: ${msg}`);
}

function describe(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function validator(source: string | undefined) {
  const num = (opts: { min?: number; max?: number; int?: boolean; minExclusive?: boolean; maxExclusive?: boolean }): Check =>
    (v, f) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(source, f, `must be a finite number, got ${describe(v)}`);
      if (opts.int && !Number.isInteger(v)) fail(source, f, `must be an integer, got ${v}`);
      if (opts.min !== undefined && (opts.minExclusive ? v <= opts.min : v < opts.min))
        fail(source, f, `must be ${opts.minExclusive ? '>' : '>='} ${opts.min}, got ${v}`);
      if (opts.max !== undefined && (opts.maxExclusive ? v >= opts.max : v > opts.max))
        fail(source, f, `must be ${opts.maxExclusive ? '<' : '<='} ${opts.max}, got ${v}`);
    };
  const oneOf = (values: readonly unknown[]): Check => (v, f) => {
    if (!values.includes(v)) fail(source, f, `must be one of ${values.map(describe).join(', ')}; got ${describe(v)}`);
  };
  const bool: Check = (v, f) => {
    if (typeof v !== 'boolean') fail(source, f, `must be true or false, got ${describe(v)}`);
  };
  const str: Check = (v, f) => {
    if (typeof v !== 'string' || v.length === 0) fail(source, f, `must be a non-empty string, got ${describe(v)}`);
  };
  const nullable = (c: Check): Check => (v, f) => {
    if (v !== null) c(v, f);
  };
  /** A key that may be absent (and then stays absent: it is not part of the run id of configs that leave it out). */
  const optional = (c: Check): Check => Object.assign((v: unknown, f: string) => c(v, f), { optional: true });
  const object = (shape: Record<string, Check>): Check => (v, f) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(source, f, `must be an object, got ${describe(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!(k in shape)) fail(source, f ? `${f}.${k}` : k, `unknown key (valid: ${Object.keys(shape).join(', ')})`);
    }
    for (const [k, check] of Object.entries(shape)) {
      const field = f ? `${f}.${k}` : k;
      if (!(k in o)) {
        if ((check as { optional?: boolean }).optional) continue;
        fail(source, field, 'missing');
      }
      check(o[k], field);
    }
  };
  return { num, oneOf, str, bool, nullable, object, optional };
}

/**
 * Checks that `value` is a complete, valid ExperimentConfig. Unknown keys, missing keys and impossible values
 * throw a ConfigError naming `source` (e.g. the JSON file) and the field (`stage2.learningRate: must be > 0, got -1`).
 */
export function validateConfig(valueIn: unknown, source?: string): ExperimentConfig {
  const { num, oneOf, str, bool, nullable, object, optional } = validator(source);
  const value = withDefaults(valueIn);
  const stage = {
    epochs: num({ min: 0, int: true }),
    learningRate: num({ min: 0, minExclusive: true, max: 1 }),
    batchSize: num({ min: 1, int: true, max: 4096 }),
    patience: num({ min: 0, int: true }),
    minDelta: num({ min: 0 }),
  };
  const unit = num({ min: 0, max: 1 });
  const check = object({
    name: str,
    task: (v, f) => {
      str(v, f);
      if (!/^[A-Za-z0-9._-]+$/.test(v as string)) fail(source, f, `must be a folder name ([A-Za-z0-9._-]), got ${describe(v)}`);
    },
    dataset: object({
      name: oneOf(['disfa']),
      root: nullable(str),
      framesPerSubject: nullable(num({ min: 1, int: true })),
      synthetic: object({
        subjects: num({ min: 2, max: 27, int: true }),
        frames: num({ min: 1, int: true }),
        size: num({ min: 16, max: 1024, int: true }),
        seed: num({ min: 0, max: 0xffffffff, int: true }),
      }),
    }),
    fold: oneOf([1, 2, 3]),
    aus: (v, f) => {
      if (!Array.isArray(v) || v.length === 0) fail(source, f, `must be a non-empty array of AU names, got ${describe(v)}`);
      v.forEach((au, i) => oneOf(DISFA_AUS)(au, `${f}[${i}]`));
      if (new Set(v).size !== v.length) fail(source, f, `has duplicates: ${describe(v)}`);
    },
    backbone: oneOf(BACKBONE_NAMES),
    alpha: oneOf([0.25, 0.5, 0.75, 1, 1.0]),
    inputSize: num({ min: 32, max: 1024, int: true }),
    weights: nullable(str),
    dropout: num({ min: 0, max: 1, maxExclusive: true }),
    loss: oneOf(LOSS_NAMES),
    posWeightCorrection: optional(num({ min: 0, max: 1 })),
    validationFraction: num({ min: 0, max: 0.5, minExclusive: true }),
    stage1: object(stage),
    stage2: object({
      ...stage,
      unfreezeFrom: nullable(str),
      freezeBatchNorm: bool,
      microBatchSize: nullable(num({ min: 1, int: true, max: 4096 })),
      headBatchNorm: oneOf(HEAD_BATCH_NORM_MODES),
      schedule: oneOf(LR_SCHEDULE_NAMES),
      warmupFraction: num({ min: 0, max: 0.99 }),
      monitor: oneOf(MONITORS),
      preciseBatchNorm: optional(bool),
    }),
    augment: nullable(
      object({
        crop: nullable(
          object({
            scale: (v, f) => {
              if (!Array.isArray(v) || v.length !== 2) fail(source, f, `must be [lo, hi], got ${describe(v)}`);
              const [lo, hi] = v as unknown[];
              num({ min: 0, minExclusive: true, max: 1 })(lo, `${f}[0]`);
              num({ min: 0, minExclusive: true, max: 1 })(hi, `${f}[1]`);
              if ((lo as number) > (hi as number)) fail(source, f, `needs lo <= hi, got ${describe(v)}`);
            },
          }),
        ),
        flip: bool,
        colorJitter: nullable(object({ brightness: unit, contrast: unit, saturation: unit })),
      }),
    ),
    evalBatchSize: num({ min: 1, int: true, max: 4096 }),
    seed: num({ min: 0, max: 0xffffffff, int: true }),
  });
  check(value, '');
  const c = value as ExperimentConfig;
  if ((c.posWeightCorrection ?? 0) > 0 && c.loss !== 'bce-weighted') {
    fail(source, 'posWeightCorrection', `only applies to loss 'bce-weighted', got loss '${c.loss}'`);
  }
  if (c.weights === 'embedded' && c.backbone === 'mobilenet_v1' && c.inputSize % 32 !== 0) {
    fail(source, 'inputSize', `must be a multiple of 32 with the embedded MobileNet-v1 weights, got ${c.inputSize}`);
  }
  if (c.alpha !== 1 && c.backbone !== 'mobilenet_v1' && c.backbone !== 'mobilenet_v2') {
    fail(source, 'alpha', `only MobileNets have a width multiplier; ${c.backbone} needs alpha 1, got ${c.alpha}`);
  }
  if (c.alpha !== 1 && c.weights === 'embedded') {
    fail(source, 'alpha', `the embedded weights are for alpha 1, got ${c.alpha}`);
  }
  if (c.stage1.epochs === 0 && c.stage2.epochs === 0) fail(source, 'stage1.epochs', 'stage 1 and stage 2 cannot both have 0 epochs');
  return c;
}

/**
 * `value` with the optional fields it leaves out set to CONFIG_DEFAULTS (a copy; `value` is not changed), so a
 * resolved config always holds every field and configs written before a field existed still load.
 */
function withDefaults(value: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(value) || !isObj(value.stage2)) return value;
  const missing = Object.keys(CONFIG_DEFAULTS.stage2).filter((k) => !((k) in (value.stage2 as Record<string, unknown>)));
  if (!missing.length) return value;
  const out = structuredClone(value) as Record<string, Record<string, unknown>>;
  for (const k of missing) out.stage2[k] = CONFIG_DEFAULTS.stage2[k as keyof typeof CONFIG_DEFAULTS.stage2];
  return out;
}

/** Deep merge of plain objects (arrays and null replace); `override` wins. */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return override as T;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return override as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(override as Record<string, unknown>)) {
    out[k] = k in out ? mergeConfig(out[k], v) : v;
  }
  return out as T;
}

/**
 * Reads a JSON config file. The file is either a complete config or `{"extends": "<preset>", ...overrides}`;
 * the result is validated, errors name the file and the field.
 */
export function loadConfigFile(file: string, presets: Record<string, ExperimentConfig>): ExperimentConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: invalid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must hold a JSON object`);
  const { extends: base, ...rest } = raw as Record<string, unknown>;
  let merged: unknown = rest;
  if (base !== undefined) {
    if (typeof base !== 'string' || !(base in presets)) {
      throw new ConfigError(`${file}: extends: unknown preset ${describe(base)} (valid: ${Object.keys(presets).join(', ')})`);
    }
    merged = mergeConfig(presets[base], rest);
    // a file that switches the preset's loss drops the preset's weighted-BCE correction, unless it sets its own
    if (rest.loss !== undefined && rest.loss !== 'bce-weighted' && !('posWeightCorrection' in rest)) merged = withoutScoreCorrection(merged as ExperimentConfig);
  }
  return validateConfig(merged, file);
}

/** Field paths where two configs differ (for a clear `--resume` refusal). */
export function configDiff(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => configDiff(ao[k], bo[k], prefix ? `${prefix}.${k}` : k));
  }
  return canonicalJson(a) === canonicalJson(b) ? [] : [prefix || '(root)'];
}
