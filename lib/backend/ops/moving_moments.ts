import * as tf from '@tensorflow/tfjs';
import { MOVING_MOMENTS, registerMovingMomentsKernel } from '../kernels/moving_moments';

registerMovingMomentsKernel();

/**
 * Keras BatchNormalization's moving-statistics update: moving' = moving * momentum + batch * (1 - momentum), for
 * the mean and the (biased) variance. One kernel on wasm and cpu (lib/backend/kernels/moving_moments.ts, the same
 * bits as the composition); the composition of stock ops elsewhere. Carries no gradient.
 */
export function updateMovingMoments(
  movingMean: tf.Tensor,
  movingVariance: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  momentum: number,
): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (tf.getKernel(MOVING_MOMENTS, tf.getBackend()) !== undefined) {
    const [m, v] = tf.engine().runKernel(MOVING_MOMENTS, { movingMean, movingVariance, mean, variance }, { momentum }) as tf.Tensor1D[];
    return { mean: m, variance: v };
  }
  return tf.tidy(() => ({
    mean: tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)) as tf.Tensor1D,
    variance: tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum)) as tf.Tensor1D,
  }));
}
