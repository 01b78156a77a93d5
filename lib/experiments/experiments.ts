/**
 * The experiments behind the notebooks, the figures and REPORT.md: which runs each task needs, as fully resolved
 * configs derived from a base preset (`PRESETS.quick` by default, `PRESETS.paper` for the paper's settings).
 * Tasks (results folders): loss-comparison, backbone-survey, transfer-stages. f1-analysis reads the others.
 */
import { PRESETS } from '../train/presets';
import type { BackboneName, ExperimentConfig, LossName } from '../train/config';

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

/** Loss comparison: MobileNet-v1 (the paper's Fig. 4 network) with each loss on the same fold(s). */
export function lossComparisonExperiments(base: ExperimentConfig = PRESETS.quick, opts: ExperimentOptions = {}): ExperimentConfig[] {
  const b = withData(base, opts);
  return replicas(b, opts).flatMap(({ seed, fold }) =>
    COMPARED_LOSSES.map((loss) => ({ ...forBackbone(b, 'mobilenet_v1'), task: 'loss-comparison', loss, seed, fold })),
  );
}

/**
 * What a light backbone survey trims (the quick preset: the DenseNets are 5-8x MobileNet-v1's compute). Measured on
 * fold 1 (`fer-au train --config` with the survey's settings; LSEP, F1 at 0.5 vs the all-positive baseline):
 * 16 frames per subject at 96 px left MobileNet-v1 below the baseline (0.108 vs 0.171 on the old 48-frame set);
 * with the quick set, 32 frames at 96 px reached 0.194 vs 0.195 (tuned thresholds 0.229, mean AP 0.236), and a
 * random-init DenseNet-121 0.125 in 57 s user CPU (the scratch head probe: 0.134 with 16, 0.214 with 32 frames).
 * 128 px gained nothing on the head at 32 frames (scratch probe, LSEP: 0.216 vs 0.214) for 1.8x the compute.
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
    SURVEY_BACKBONES.map((bb) => ({ ...forBackbone(b, bb, opts.densenetWeights?.[bb] ?? null), task: 'backbone-survey', loss: 'lsep' as LossName, seed, fold })),
  );
}

/**
 * Transfer stages: MobileNet-v1 with the proposed L_pr. `stage2Epochs` (default: the base preset's) sets the
 * fine-tuning epochs; with the default the run is the loss comparison's L_pr run (reused, not retrained).
 */
export function transferStagesExperiments(
  base: ExperimentConfig = PRESETS.quick,
  opts: ExperimentOptions & { stage2Epochs?: number } = {},
): ExperimentConfig[] {
  const b = withData(base, opts);
  const stage2 = opts.stage2Epochs === undefined ? b.stage2 : { ...b.stage2, epochs: opts.stage2Epochs, patience: Math.max(b.stage2.patience, opts.stage2Epochs) };
  return replicas(b, opts).map(({ seed, fold }) => ({ ...forBackbone(b, 'mobilenet_v1'), task: 'transfer-stages', loss: 'pr' as LossName, seed, fold, stage2 }));
}

/** Every run the report needs, task by task. */
export function allExperiments(base: ExperimentConfig = PRESETS.quick, opts: ExperimentOptions = {}): ExperimentConfig[] {
  return [
    ...lossComparisonExperiments(base, opts),
    ...backboneSurveyExperiments(base, opts),
    ...transferStagesExperiments(base, opts),
  ];
}
