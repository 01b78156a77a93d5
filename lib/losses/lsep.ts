import * as tf from '@tensorflow/tfjs';
import { checkLossInputs, softplus } from './common';

/** Stands in for log(0) = -inf in masked entries; exp(FILL - m) underflows to exactly 0 in float32. */
const FILL = -1e30;

/**
 * Log-Sum-Exp Pairwise ranking loss (LSEP), Li, Song & Luo, "Improving Pairwise Ranking for Multi-label Image
 * Classification", CVPR 2017; the loss of the paper's eq. 1, which prints it without the exp
 * (`log(1 + sum (f_v - f_u))`, not a valid loss). This implements the original:
 *
 *   l_i = log(1 + sum_{v not in Y_i} sum_{u in Y_i} exp(f_v(x_i) - f_u(x_i)))      loss = mean_i l_i
 *
 * A sample with no positive or no negative label has no pair and contributes 0 (it still counts in the mean).
 * The double sum factorises, sum_v sum_u exp(f_v - f_u) = (sum_v exp f_v)(sum_u exp -f_u), so
 *
 *   l_i = softplus(LSE_{v in N_i} f_v + LSE_{u in P_i} (-f_u))
 *
 * with max-shifted log-sum-exps (LSE) and a stable softplus: O(labels) per sample instead of O(labels^2),
 * and no overflow for any finite logits. Labels >= 0.5 count as positive.
 *
 * @param labels [batch, labels], 0/1
 * @param logits [batch, labels], pre-sigmoid scores (only their differences matter)
 * @returns scalar mean over samples
 */
export function lsepLoss(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [y, x] = checkLossInputs('lsepLoss', labels, logits);
    const pos = tf.greaterEqual(y, 0.5); // [batch, labels] bool
    const neg = tf.logicalNot(pos);
    const fill = tf.fill(x.shape, FILL);
    const lseNeg = tf.logSumExp(tf.where(neg, x, fill), 1); // [batch]  log sum_v exp(f_v)
    const lsePos = tf.logSumExp(tf.where(pos, tf.neg(x), fill), 1); // [batch]  log sum_u exp(-f_u)
    const hasPairs = tf.logicalAnd(tf.any(pos, 1), tf.any(neg, 1)); // [batch]
    const perSample = tf.where(hasPairs, softplus(tf.add(lseNeg, lsePos)), tf.zerosLike(lseNeg));
    return tf.mean(perSample) as tf.Scalar;
  });
}
