/**
 * Post-hoc correction of a weighted-BCE model's scores (config `posWeightCorrection`, tau in [0, 1]).
 *
 * Training with positive weight w_k moves the loss's minimiser from the posterior's logit to logit + log(w_k)
 * (weighted BCE is minimised at sigmoid(x) = w p / (w p + 1 - p)), so a score of 0.5 then means a posterior of
 * 1 / (1 + w_k): for a rare AU (w ~ 13) that is 0.07, and F1 at 0.5 fills with false positives. Lowering the
 * output bias by tau * log(w_k) after training moves the cut back toward the posterior (tau = 1: all the way;
 * tau = 0.5 is about what training with w^0.5 gives). This is the post-hoc logit adjustment of Menon et al. 2021
 * ("Long-tail learning via logit adjustment"), per label. Training itself is unchanged: the shift is applied to
 * the head's final Dense bias only when the model is scored (stage-1 evaluation) and before the final evaluation
 * and save, so the saved model, `predict` and the browser export all give the corrected scores.
 */
import * as tf from '@tensorflow/tfjs';
import { posWeightFromLabels } from '../losses';
import { HEAD_LAYER_PREFIX, type AuModel } from '../models';
import type { ExperimentConfig } from './config';

/** bce-weighted's positive weights w_k, from the training labels only (null for the other losses): the loss trains with them, scoreShift corrects by them. */
export function runPosWeight(c: Pick<ExperimentConfig, 'loss' | 'aus'>, trainLabels: Float32Array): number[] | null {
  return c.loss === 'bce-weighted' ? posWeightFromLabels(trainLabels, c.aus.length) : null;
}

/**
 * The per-AU logit shift (-tau * log w_k) of `c`, or null when the config has none. `posWeight` is the run's
 * bce-weighted weights w_k (runPosWeight, the ones the loss trained with).
 */
export function scoreShift(c: Pick<ExperimentConfig, 'loss' | 'posWeightCorrection' | 'aus'>, posWeight: readonly number[] | null): number[] | null {
  const tau = c.posWeightCorrection ?? 0;
  if (tau === 0) return null;
  if (c.loss !== 'bce-weighted') throw new Error(`posWeightCorrection ${tau} needs loss 'bce-weighted', got '${c.loss}'`);
  if (posWeight == null || posWeight.length !== c.aus.length) {
    throw new Error(`scoreShift: needs the ${c.aus.length} positive weights of the run, got ${posWeight == null ? 'none' : posWeight.length}`);
  }
  return posWeight.map((w) => -tau * Math.log(w));
}

/** The output bias variable of `m` (the head and the full model share the layer). */
function outputBias(m: AuModel): tf.LayerVariable {
  const layer = m.head.layers.find((l) => l.name === `${HEAD_LAYER_PREFIX}logits`);
  const bias = layer?.weights.find((w) => /bias$/.test(w.originalName));
  if (!bias) throw new Error(`AU model has no bias in layer ${HEAD_LAYER_PREFIX}logits`);
  return bias;
}

/** Adds `shift` to the output bias of `m` in place. */
export function shiftOutputBias(m: AuModel, shift: readonly number[]): void {
  const bias = outputBias(m);
  if (bias.shape[0] !== shift.length) throw new Error(`shiftOutputBias: ${shift.length} shifts for ${bias.shape[0]} outputs`);
  const shifted = tf.tidy(() => tf.add(bias.read(), tf.tensor1d(shift as number[])));
  bias.write(shifted);
  shifted.dispose();
}

/** Runs `fn` with the output bias shifted, then puts the exact original bias back (no rounding left behind). */
export async function withShiftedOutput<T>(m: AuModel, shift: readonly number[] | null, fn: () => Promise<T>): Promise<T> {
  if (!shift) return fn();
  const bias = outputBias(m);
  const original = bias.read().clone();
  shiftOutputBias(m, shift);
  try {
    return await fn();
  } finally {
    bias.write(original);
    original.dispose();
  }
}
