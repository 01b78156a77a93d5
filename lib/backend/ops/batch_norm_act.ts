import * as tf from '@tensorflow/tfjs';

/** Activation fused after a BatchNorm: Keras's ReLU(max_value=6) is 'relu6'. */
export type BnActivation = 'linear' | 'relu' | 'relu6';

function activate(y: tf.Tensor, act: BnActivation): tf.Tensor {
  if (act === 'relu') return tf.relu(y);
  if (act === 'relu6') return tf.relu6(y);
  return y;
}

/**
 * BatchNorm in inference mode followed by an activation, over the last (channel) axis of NHWC or [batch, C]:
 * y = act(gamma * (x - movingMean) / sqrt(movingVariance + eps) + beta). Same math as Keras's
 * BatchNormalization(training=False).
 */
export function batchNormActInference(
  x: tf.Tensor,
  movingMean: tf.Tensor1D,
  movingVariance: tf.Tensor1D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  act: BnActivation,
): tf.Tensor {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(movingVariance, epsilon)));
    const shift = tf.sub(beta, tf.mul(movingMean, scale));
    return activate(tf.add(tf.mul(x, scale), shift), act);
  });
}

/**
 * BatchNorm in training mode followed by an activation: normalises with the batch moments over every axis
 * but the last, and returns them so the layer can update its moving statistics (Keras: biased variance for
 * normalisation, moving variance updated with the same biased batch variance).
 * Gradients flow through the batch moments, as in Keras.
 */
export function batchNormActTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  act: BnActivation,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)));
    return activate(tf.add(tf.mul(tf.sub(x, mean), scale), beta), act);
  });
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
