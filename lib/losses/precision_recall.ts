import * as tf from '@tensorflow/tfjs';
import { checkLossInputs } from './common';

export interface PrecisionRecallLossOptions {
  /** 'macro' (default): per label over the batch, then the mean over labels; 'micro': one sum over the whole batch. */
  average?: 'macro' | 'micro';
  /** Added to both denominators so an empty label gives 0, not NaN. Default 1e-7. */
  eps?: number;
}

/**
 * The precision-recall loss proposed by Arsirii & Petrosiuk (2023), eq. 6, `L_pr = 1 - Precision * Recall`, with
 * soft counts from sigmoid scores p = sigmoid(logits):
 *
 *   TP = sum y p,  FP = sum (1 - y) p,  FN = sum y (1 - p)
 *   P = TP / (TP + FP + eps),  R = TP / (TP + FN + eps)
 *
 * 'macro' (default) sums over the batch for each label k and returns mean_k (1 - P_k R_k); 'micro' sums over the
 * whole batch and returns 1 - P R. A label with no positive in the batch has TP ~ 0 and contributes ~1 (its
 * gradient then only pushes its scores down through P).
 *
 * @param labels [batch, labels], 0/1
 * @param logits [batch, labels], pre-sigmoid scores
 * @returns scalar in [0, 1]
 */
export function precisionRecallLoss(
  labels: tf.Tensor,
  logits: tf.Tensor,
  opts: PrecisionRecallLossOptions = {},
): tf.Scalar {
  const average = opts.average ?? 'macro';
  if (average !== 'macro' && average !== 'micro') {
    throw new Error(`precisionRecallLoss: average must be 'macro' or 'micro', got ${JSON.stringify(average)}`);
  }
  const eps = opts.eps ?? 1e-7;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new Error(`precisionRecallLoss: eps must be a finite number >= 0, got ${eps}`);
  }
  return tf.tidy(() => {
    const [y, x] = checkLossInputs('precisionRecallLoss', labels, logits);
    const p = tf.sigmoid(x); // [batch, labels]
    const axis = average === 'macro' ? 0 : undefined; // macro: [labels]; micro: scalar
    const tp = tf.sum(tf.mul(y, p), axis);
    const fp = tf.sum(tf.mul(tf.sub(1, y), p), axis);
    const fn = tf.sum(tf.mul(y, tf.sub(1, p)), axis);
    const precision = tf.div(tp, tf.add(tf.add(tp, fp), eps));
    const recall = tf.div(tp, tf.add(tf.add(tp, fn), eps));
    return tf.mean(tf.sub(1, tf.mul(precision, recall))) as tf.Scalar;
  });
}
