/**
 * Experiment presets. A preset is a complete, validated ExperimentConfig; override fields with a spread
 * (`{...PRESETS.quick, loss: 'pr'}`) or a JSON file (`{"extends": "quick", "loss": "pr"}`).
 */
import { ExperimentConfig, validateConfig, withoutScoreCorrection } from './config';
import { PAPER_AUS } from '../data/aus';

/**
 * The paper's settings (Arsirii & Petrosiuk 2023, section "Actions units recognition reliability"): 224x224 RGB,
 * Adam, batch 64, fine-tuning learning rate 1e-5, MobileNet-v1 head BatchNorm -> ReLU -> Dropout(0.2) -> Dense.
 *
 * The paper does not give the stage-1 learning rate or any epoch counts; chosen here:
 * - stage 1 lr 1e-3: Keras's Adam default, the rate of the Keras transfer-learning guide for a new head on frozen
 *   features; only ~9k head parameters train on fixed 1024-d features, so 1e-5 would need hundreds of epochs.
 * - stage 1 up to 50 epochs, patience 5: an epoch over cached features of ~86k frames takes seconds, so the limit
 *   is there only to bound a run; early stopping on validation loss ("errors of the test and validation samples
 *   are tracked", stage 1 step 3) ends it.
 * - stage 2 up to 10 epochs, patience 2: each epoch runs the whole backbone forward and backward over ~86k images
 *   (hours on a CPU), and fine-tuning at 1e-5 usually peaks within a few epochs (Keras guide: 10 epochs).
 * - loss 'pr': the paper's proposed L_pr = 1 - Precision*Recall (its Fig. 4b); the backbone survey used LSEP.
 * For GPU machines (tfjs-node-gpu) or patient CPUs.
 */
const PAPER: ExperimentConfig = {
  name: 'paper',
  task: 'loss-comparison',
  dataset: { name: 'disfa', root: null, framesPerSubject: null, synthetic: { subjects: 27, frames: 400, size: 224, seed: 1 } },
  fold: 1,
  aus: [...PAPER_AUS],
  backbone: 'mobilenet_v1',
  alpha: 1,
  inputSize: 224,
  weights: 'embedded',
  dropout: 0.2,
  loss: 'pr',
  validationFraction: 0.2,
  stage1: { epochs: 50, learningRate: 1e-3, batchSize: 64, patience: 5, minDelta: 0 },
  // headBatchNorm 'frozen': the pipeline fix found on the quick preset (see QUICK), not a paper setting
  stage2: { epochs: 10, learningRate: 1e-5, batchSize: 64, patience: 2, minDelta: 0, unfreezeFrom: null, freezeBatchNorm: true, headBatchNorm: 'frozen' },
  // ME-GraphAU-style: crop 224 of 256 (scale 0.875), flip, mild colour jitter
  augment: { crop: { scale: [0.875, 1] }, flip: true, colorJitter: { brightness: 0.1, contrast: 0.1, saturation: 0.1 } },
  evalBatchSize: 64,
  seed: 1,
};

/**
 * What a newcomer or CI runs on 2 CPU cores (`npm start`), on the same code path as `paper`: the synthetic DISFA
 * set (27 subjects x 64 frames at 128 px), MobileNet-v1 with the embedded weights at 128 px, stage 1 on cached
 * features, then fine-tuning of the whole backbone.
 *
 * Stage 2 was chosen on VALIDATION subjects only (4 subjects held out of the training parts; no test fold was
 * scored during the search), recorded in results/tuning/stage2-search.md. What the search found:
 * - The collapse of the earlier preset had two causes. (1) The head's BatchNorm kept training in stage 2: its
 *   moving statistics lagged the features that fine-tuning moves (after one epoch at lr 1e-4 the moving mean sat
 *   ~1 population standard deviation off; the training frames' loss was 5.75 in inference mode against 1.15 in
 *   training mode and 1.00 with the population statistics), so the inference-mode model that validation and test
 *   see was a different model. Fix: `headBatchNorm: 'frozen'` (inference mode with the stage-1 statistics,
 *   which stage 1 initialised to the population statistics of the features). (2) A fresh Adam at full rate moves
 *   every pretrained weight by ~lr at once: the first epoch's training loss rose above the stage-1 model's (1.40 at
 *   constant 1e-4, 2.23 at 3e-4). Fix: a linear warm-up over 10% of the steps, then a cosine decay.
 * - Validation mean F1 at 0.5 after stage 2 (stage 1: 0.406; fold-1 validation subjects of JAA-Net numbering):
 *   constant 1e-4 6 epochs 0.585; warm-up+cosine 1e-4: 6 epochs 0.621, 10 epochs 0.700; 3e-4 collapsed; at 96 px
 *   6 epochs 0.553, 10 epochs 0.620; batch 16 at 96 px was worse than 32 after 2 epochs (0.260 vs 0.383);
 *   96 frames per subject, 6 epochs 0.602. So what limits F1 here is optimizer steps x image size, i.e. compute.
 * - Backbone BatchNorm stays frozen (`freezeBatchNorm`): the face-api weights carry folded BatchNorm in conv1 and
 *   conv_pw_i (gamma 1, variance 1 - eps), so batch statistics would replace an identity with a normalisation.
 * - Loss 'bce-weighted': positives weighted by negatives/positives per AU from the training labels, the standard
 *   remedy for DISFA's rare AUs (JAA-Net and ME-GraphAU weight their losses by inverse frequency); it was not
 *   chosen on any score. Stage 1 keeps Keras's Adam default 1e-3 for a new head on frozen features.
 * - patience 10 = no early stop within the 10 epochs. `monitor: 'val_mean_f1'`: the epoch with the best
 *   validation mean F1 is restored. The search above scored the LAST epoch; restoring on validation loss (the
 *   setting until 2026-12-02) kept an earlier model than the one the search chose: on fold 1 (seed 1, synthetic v2)
 *   stage 2's validation loss was lowest at epoch 5 (0.600, val F1 0.575) and rose to 0.649 by epoch 10 while val F1
 *   rose to 0.651 (an overconfident loss; results/transfer-stages at 1ae886d, history.stage2). Validation only.
 * - `posWeightCorrection: 0.75` (lib/train/score_correction.ts): weighted BCE puts the 0.5 cut at a posterior of
 *   1 / (1 + w_k), 0.07 for AU26 (w 13); on the fold-1 test frames of seed 1, 56 of AU26's 59 errors and 92 of
 *   AU25's 106 were false positives (scripts/error_breakdown.ts). Chosen on validation only: the fold-1 (seed 1)
 *   model's 4 validation subjects scored at 0.5 after lowering the logits by tau * log(w_k), tau 0 / 0.25 / 0.5 /
 *   0.75 / 1: val mean F1 0.651 / 0.680 / 0.680 / 0.692 / 0.671 (results/tuning/score-correction.md).
 */
const QUICK: ExperimentConfig = {
  ...PAPER,
  name: 'quick',
  task: 'quick',
  loss: 'bce-weighted',
  posWeightCorrection: 0.75,
  dataset: { name: 'disfa', root: null, framesPerSubject: null, synthetic: { subjects: 27, frames: 64, size: 128, seed: 1 } },
  inputSize: 128,
  stage1: { epochs: 40, learningRate: 1e-3, batchSize: 32, patience: 5, minDelta: 0 },
  stage2: {
    epochs: 10, learningRate: 1e-4, batchSize: 32, patience: 10, minDelta: 0, unfreezeFrom: null, freezeBatchNorm: true,
    headBatchNorm: 'frozen', schedule: 'warmup-cosine', warmupFraction: 0.1, microBatchSize: null, monitor: 'val_mean_f1',
  },
  augment: { crop: null, flip: true, colorJitter: { brightness: 0.1, contrast: 0.1, saturation: 0 } },
  evalBatchSize: 32,
};

/**
 * For tests: tiny images, few frames, a quarter-width MobileNet-v1 with random weights. Seconds, not minutes;
 * it checks the machinery (resume, determinism, BatchNorm freezing), not accuracy.
 */
const TINY: ExperimentConfig = {
  ...withoutScoreCorrection(QUICK),
  name: 'tiny',
  task: 'tiny',
  dataset: { name: 'disfa', root: null, framesPerSubject: null, synthetic: { subjects: 27, frames: 4, size: 32, seed: 1 } },
  alpha: 0.25,
  weights: null,
  inputSize: 32,
  stage1: { epochs: 3, learningRate: 1e-3, batchSize: 16, patience: 0, minDelta: 0 },
  stage2: { epochs: 2, learningRate: 1e-3, batchSize: 16, patience: 0, minDelta: 0, unfreezeFrom: 'conv_dw_13', freezeBatchNorm: false },
  augment: { crop: { scale: [0.9, 1] }, flip: true, colorJitter: { brightness: 0.1, contrast: 0, saturation: 0 } },
  evalBatchSize: 32,
};

export const PRESETS = {
  paper: validateConfig(PAPER, 'PRESETS.paper'),
  quick: validateConfig(QUICK, 'PRESETS.quick'),
  tiny: validateConfig(TINY, 'PRESETS.tiny'),
} as const satisfies Record<string, ExperimentConfig>;

export type PresetName = keyof typeof PRESETS;
