import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, softplus } from './common';

export interface BceOptions {
  /**
   * Per-label weight of the positive term, length = number of labels (PyTorch's `pos_weight`).
   * Values > 1 raise recall on rare labels. See `posWeightFromLabels` / `posWeightFromCounts`.
   */
  posWeight?: number[];
}

/**
 * Binary cross-entropy from logits, the paper's eq. 5 (`L_bce = -y log(p) - (1 - y) log(1 - p)`, p = sigmoid(x)),
 * averaged over batch and labels, with PyTorch's optional per-label positive weight w
 * (`torch.nn.BCEWithLogitsLoss(pos_weight=w)`):
 *
 *   l = -[w y log(sigmoid(x)) + (1 - y) log(1 - sigmoid(x))]
 *     = (1 - y) x + (1 + (w - 1) y) softplus(-x)
 *
 * The second form (PyTorch's) never evaluates log(0) or exp of a large number: softplus is computed as
 * max(z, 0) + log1p(exp(-|z|)), so |x| = 50 or more gives finite values and gradients.
 * Labels may be soft (any value in [0, 1]); they are not checked here (that would need a device sync).
 *
 * @param labels [batch, labels], 0/1
 * @param logits [batch, labels], pre-sigmoid scores
 * @returns scalar mean over batch and labels
 */
export function bceLoss(labels: tf.Tensor, logits: tf.Tensor, opts: BceOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const [y, x] = checkLossInputs('bceLoss', labels, logits);
    const numLabels = y.shape[1];
    let weight: tf.Tensor = tf.scalar(1);
    if (opts.posWeight !== undefined) {
      weight = tf.tensor1d(checkPosWeight(opts.posWeight, numLabels)); // [labels], broadcasts over the batch
    }
    // (1 - y) x + (1 + (w - 1) y) softplus(-x)                            [batch, labels]
    const logWeight = tf.add(1, tf.mul(tf.sub(weight, 1), y));
    const perElement = tf.add(tf.mul(tf.sub(1, y), x), tf.mul(logWeight, softplus(tf.neg(x))));
    return tf.mean(perElement) as tf.Scalar;
  });
}

function checkPosWeight(posWeight: number[], numLabels: number): number[] {
  if (!Array.isArray(posWeight) && !ArrayBuffer.isView(posWeight)) {
    throw new Error(`bceLoss: posWeight must be an array of ${numLabels} numbers`);
  }
  if (posWeight.length !== numLabels) {
    throw new Error(`bceLoss: posWeight has ${posWeight.length} values but the logits have ${numLabels} labels`);
  }
  const bad = Array.from(posWeight).findIndex((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0);
  if (bad >= 0) throw new Error(`bceLoss: posWeight[${bad}] = ${posWeight[bad]} is not a finite number >= 0`);
  return Array.from(posWeight);
}
