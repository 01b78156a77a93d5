/**
 * Learning-rate schedules for the fit loop: a constant rate, or a linear warm-up followed by a cosine decay
 * (Keras `optimizers.schedules.CosineDecay(initial_learning_rate=0, warmup_target=lr, warmup_steps=w,
 * decay_steps=total - w)`; fastai's `fit_one_cycle` has the same shape with a cosine warm-up).
 *
 * Why stage 2 warms up: Adam's first updates have magnitude ~lr for every weight whatever its gradient (the
 * bias-corrected m / sqrt(v) starts near +-1), so a freshly created optimizer at full rate moves every pretrained
 * weight by the same step at once. On the quick preset that raised the training loss of fine-tuning's first epoch
 * above the stage-1 model's (results/tuning/).
 */

export type LrScheduleName = 'constant' | 'warmup-cosine';
export const LR_SCHEDULE_NAMES: readonly LrScheduleName[] = ['constant', 'warmup-cosine'];

export interface LrScheduleConfig {
  schedule: LrScheduleName;
  /** Share of the stage's optimizer steps spent warming up (warmup-cosine only), in [0, 1). */
  warmupFraction: number;
}

/**
 * The learning rate of optimizer step `step` (0-based) of `totalSteps` at peak rate `lr`.
 * warmup-cosine: lr * (step + 1) / w for step < w = round(warmupFraction * totalSteps), then
 * lr * (1 + cos(pi * (step - w) / (totalSteps - w))) / 2, which reaches 0 only after the last step.
 */
export function learningRateAt(lr: number, s: LrScheduleConfig, step: number, totalSteps: number): number {
  if (!(lr >= 0)) throw new Error(`learningRateAt: lr must be >= 0, got ${lr}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(`learningRateAt: totalSteps must be a positive integer, got ${totalSteps}`);
  if (!Number.isInteger(step) || step < 0) throw new Error(`learningRateAt: step must be an integer >= 0, got ${step}`);
  if (s.schedule === 'constant') return lr;
  if (s.schedule !== 'warmup-cosine') throw new Error(`learningRateAt: schedule '${String(s.schedule)}' is not one of ${LR_SCHEDULE_NAMES.join(', ')}`);
  if (!(s.warmupFraction >= 0 && s.warmupFraction < 1)) throw new Error(`learningRateAt: warmupFraction must be in [0, 1), got ${s.warmupFraction}`);
  const t = Math.min(step, totalSteps - 1);
  const w = Math.round(s.warmupFraction * totalSteps);
  if (t < w) return (lr * (t + 1)) / w;
  return (lr * (1 + Math.cos((Math.PI * (t - w)) / (totalSteps - w)))) / 2;
}
