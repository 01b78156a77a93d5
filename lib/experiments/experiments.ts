/**
 * The experiments behind the notebooks, the figures and REPORT.md: which runs each task needs, as fully resolved
 * configs derived from a base preset (`PRESETS.quick` by default, `PRESETS.paper` for the paper's settings).
 * Tasks (results folders): transfer-stages (the preset's own run: its results file holds the stage-1 and the
 * fine-tuned model's test metrics), initialisation (the same run from random weights), loss-comparison,
 * backbone-survey. f1-analysis reads the others.
 *
 * Compute on 2 CPU cores decides what is light: one fine-tuning run of the quick preset takes minutes, so with a
 * non-paper preset the loss comparison and the backbone survey train their heads on the frozen backbone's cached
 * features (stage 1 only) and only the transfer-stages and initialisation runs fine-tune. `light: false` runs
 * them all fully (the paper preset does by default).
 */
import { PRESETS } from '../train/presets';
import type { BackboneName, ExperimentConfig, LossName } from '../train/config';
import { withoutScoreCorrection } from '../train/config';

/** The four losses compared (paper: L_bce vs L_pr in Fig. 4; LSEP and weighted BCE in its method section). */
export const COMPARED_LOSSES: LossName[] = ['bce', 'bce-weighted', 'lsep', 'pr'];
/** The four backbones of the paper, in the order of its text. */
export const SURVEY_BACKBONES: BackboneName[] = ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201'];

/**
 * Where stage 2 starts unfreezing, per backbone, when the base config fine-tunes only the top blocks: the last
 * one or two blocks of each family (Keras layer-name prefixes).
 */
export const TOP_BLOCKS: Record<BackboneName, string> = {
  mobilenet_v1: 'conv_dw_12',
  mobilenet_v2: 'block_15_',
  densenet121: 'conv5_block15_',
  densenet201: 'conv5_block31_',
};

/**
 * The tasks that compare the losses and the backbones as defined, so their runs drop the preset's weighted-BCE
 * score correction (`posWeightCorrection`, lib/train/score_correction.ts); the preset's own runs (transfer
 * stages, initialisation) keep it.
 */
export const UNCORRECTED_TASKS: readonly string[] = ['loss-comparison', 'backbone-survey'];

/** `c` under the score-correction rule of these experiments: without `posWeightCorrection` for UNCORRECTED_TASKS. */
export function withTaskScoreCorrection<T extends { task: string; posWeightCorrection?: number }>(c: T): T {
  return UNCORRECTED_TASKS.includes(c.task) ? withoutScoreCorrection(c) : c;
}

/** Options shared by the experiment builders. */
export interface ExperimentOptions {
  /** A DISFA root (licensed copy, DISFA layout); null/undefined: the synthetic set of the base preset. */
  disfaRoot?: string | null;
  /** Test folds to run (default: the base config's fold). */
  folds?: (1 | 2 | 3)[];
  /** Experiment seeds (replicates; default: the base config's seed): every run is repeated for each seed. */
  seeds?: number[];
}

function withData(base: ExperimentConfig, opts: ExperimentOptions): ExperimentConfig {
  const c = structuredClone(base);
  if (opts.disfaRoot) c.dataset = { ...c.dataset, root: opts.disfaRoot };
  return c;
}

/** The (seed, fold) pairs to run: seeds outer, folds inner (defaults: the base config's seed and fold). */
function replicas(base: ExperimentConfig, opts: ExperimentOptions): { seed: number; fold: 1 | 2 | 3 }[] {
  const folds = opts.folds?.length ? opts.folds : [base.fold];
  const seeds = opts.seeds?.length ? opts.seeds : [base.seed];
  return seeds.flatMap((seed) => folds.map((fold) => ({ seed, fold })));
}

/**
 * Adapts `base` (written for MobileNet-v1) to `backbone`: for another backbone the fine-tuning prefix moves to
 * that family's top blocks (TOP_BLOCKS), and 'embedded' weights (which exist only for the MobileNets) become
 * random initialisation for the DenseNets unless `densenetWeights` gives the official Keras .h5 file.
 */
export function forBackbone(base: ExperimentConfig, backbone: BackboneName, densenetWeights: string | null = null): ExperimentConfig {
  const c = structuredClone(base);
  // The base's own prefix is kept for its own backbone (quick unfreezes only conv_dw_13, see presets.ts).
  if (c.stage2.unfreezeFrom !== null && backbone !== base.backbone) c.stage2 = { ...c.stage2, unfreezeFrom: TOP_BLOCKS[backbone] };
  c.backbone = backbone;
  if (backbone.startsWith('densenet') && c.weights === 'embedded') c.weights = densenetWeights;
  return c;
}

/**
 * Loss comparison: MobileNet-v1 (the paper's Fig. 4 network) with each loss on the same fold(s). `light` (default:
 * on for every preset but 'paper') trains stage 1 only, the head on the frozen backbone's cached features of the
 * preset's own frames and input size, so the four losses cost seconds each instead of one fine-tuning run each
 * (12 fine-tuning runs for three folds did not fit a CPU session); the comparison is then of heads on fixed
 * features, which the report says.
 */
export function lossComparisonExperiments(
  base: ExperimentConfig = PRESETS.quick,
  opts: ExperimentOptions & { light?: boolean } = {},
): ExperimentConfig[] {
  const b = withData(base, opts);
  if (opts.light ?? base.name !== 'paper') b.stage2 = { ...b.stage2, epochs: 0 };
  return replicas(b, opts).flatMap(({ seed, fold }) =>
    COMPARED_LOSSES.map((loss) => withTaskScoreCorrection({ ...forBackbone(b, 'mobilenet_v1'), task: 'loss-comparison', loss, seed, fold })),
  );
}

/**
 * What a light backbone survey trims, for compute only (the DenseNets are 5-8x MobileNet-v1's compute, and with
 * the embedded weights they are randomly initialised): 32 frames per subject at no more than 96 px, stage 1 only.
 * These values bound the survey's minutes on 2 cores; they were not chosen on any score (the earlier comment that
 * compared them on fold-1 test F1 is withdrawn: test folds choose nothing).
 */
export const LIGHT_SURVEY = { framesPerSubject: 32, inputSize: 96, stage2Epochs: 0 } as const;

/**
 * Backbone survey: the four backbones with LSEP (the paper's Fig. 3 setting). `densenetWeights`: a Keras .h5
 * for the DenseNets (else random initialisation with the embedded-weights presets). `light` (default: on for
 * every preset but 'paper') keeps the survey within minutes on 2 CPU cores: LIGHT_SURVEY.framesPerSubject frames
 * per subject at no more than LIGHT_SURVEY.inputSize px and stage 1 only (head on frozen features), so it compares
 * what the frozen features carry.
 */
export function backboneSurveyExperiments(
  base: ExperimentConfig = PRESETS.quick,
  opts: ExperimentOptions & { densenetWeights?: Partial<Record<BackboneName, string>>; light?: boolean } = {},
): ExperimentConfig[] {
  const b = withData(base, opts);
  if (opts.light ?? base.name !== 'paper') {
    b.dataset = { ...b.dataset, framesPerSubject: Math.min(b.dataset.framesPerSubject ?? Infinity, LIGHT_SURVEY.framesPerSubject) };
    b.stage2 = { ...b.stage2, epochs: LIGHT_SURVEY.stage2Epochs };
    b.inputSize = Math.min(b.inputSize, LIGHT_SURVEY.inputSize);
  }
  return replicas(b, opts).flatMap(({ seed, fold }) =>
    SURVEY_BACKBONES.map((bb) => withTaskScoreCorrection({ ...forBackbone(b, bb, opts.densenetWeights?.[bb] ?? null), task: 'backbone-survey', loss: 'lsep' as LossName, seed, fold })),
  );
}

/**
 * Transfer stages: the preset's own run (MobileNet-v1, its loss, its fine-tuning) per fold and seed. Its results
 * file records the test metrics of the stage-1 model (restored best, before fine-tuning) beside the fine-tuned
 * model's, so the gain of fine-tuning is read from one file. `stage2Epochs` overrides the fine-tuning epochs.
 */
export function transferStagesExperiments(
  base: ExperimentConfig = PRESETS.quick,
  opts: ExperimentOptions & { stage2Epochs?: number } = {},
): ExperimentConfig[] {
  const b = withData(base, opts);
  const stage2 = opts.stage2Epochs === undefined ? b.stage2 : { ...b.stage2, epochs: opts.stage2Epochs, patience: Math.max(b.stage2.patience, opts.stage2Epochs) };
  return replicas(b, opts).map(({ seed, fold }) => ({ ...forBackbone(b, 'mobilenet_v1'), task: 'transfer-stages', seed, fold, stage2 }));
}

/**
 * Initialisation: the transfer-stages runs again from random weights (config.weights null), so "pretrained beats
 * random initialisation" is a paired difference per fold and seed. Everything else is the same except BatchNorm,
 * which a network trained from scratch needs in training mode: frozen, a freshly initialised BatchNorm (moving mean
 * 0, variance 1) is an identity, and a random MobileNet-v1 without normalisation passes on nothing: pooled
 * activations of 1e-21 at conv_pw_13 against 1e-2 with the embedded weights (`node -r ts-node/register/transpile-only
 * scripts/activation_scale.ts`). So the twin trains every BatchNorm (`freezeBatchNorm: false`, head 'train', as Keras
 * does when training from scratch) and scores validation and test with precise BatchNorm statistics
 * (`preciseBatchNorm: true`, lib/train/precise_batch_norm).
 *
 * Why precise BN (measured 2026-12-02, fold 2, seed 1, at 128a43d, with trained BatchNorm but Keras's moving
 * averages): the training loss fell (1.48 -> 1.30 over 4 epochs) while the validation loss stayed at 1.2688 and
 * validation F1 below the all-positive floor. Validation runs in inference mode, where each backbone BatchNorm
 * divides by its moving variance; at momentum 0.99 that starts at 1 and after 112 steps still sits far above the
 * batch variances (~1e-2), so the signal still shrank through 27 BatchNorm layers.
 */
export function initialisationExperiments(base: ExperimentConfig = PRESETS.quick, opts: ExperimentOptions = {}): ExperimentConfig[] {
  return transferStagesExperiments(base, opts).map((c) => ({
    ...c,
    task: 'initialisation',
    weights: null,
    stage2: { ...c.stage2, freezeBatchNorm: false, headBatchNorm: 'train' as const, preciseBatchNorm: true },
  }));
}

/** Every run the report needs, task by task. */
export function allExperiments(base: ExperimentConfig = PRESETS.quick, opts: ExperimentOptions = {}): ExperimentConfig[] {
  return [
    ...lossComparisonExperiments(base, opts),
    ...backboneSurveyExperiments(base, opts),
    ...transferStagesExperiments(base, opts),
    ...initialisationExperiments(base, opts),
  ];
}
