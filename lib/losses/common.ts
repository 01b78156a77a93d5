import * as tf from '@tensorflow/tfjs';

/**
 * A training loss: `(labels, logits) => scalar`, labels 0/1 and logits pre-sigmoid, both [batch, labels].
 * Usable directly as `model.compile({ loss })` and inside `tf.variableGrads`.
 */
export type LossFn = (labels: tf.Tensor, logits: tf.Tensor) => tf.Scalar;

/**
 * Checks that `labels` and `logits` are rank-2 tensors of one shape and returns both as float32.
 * Errors name the loss and echo the offending shapes. Call inside the loss's `tf.tidy`.
 */
export function checkLossInputs(name: string, labels: tf.Tensor, logits: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  if (labels == null || logits == null || typeof labels.rank !== 'number' || typeof logits.rank !== 'number') {
    throw new Error(`${name}: labels and logits must be tf.Tensor objects`);
  }
  if (labels.rank !== 2 || logits.rank !== 2) {
    throw new Error(
      `${name}: labels and logits must be rank 2 [batch, labels]; got labels [${labels.shape}] and logits [${logits.shape}]`,
    );
  }
  if (labels.shape[0] !== logits.shape[0] || labels.shape[1] !== logits.shape[1]) {
    throw new Error(`${name}: labels [${labels.shape}] and logits [${logits.shape}] must have the same shape`);
  }
  if (labels.shape[0] === 0 || labels.shape[1] === 0) {
    throw new Error(`${name}: empty batch [${labels.shape}]`);
  }
  const y = (labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32')) as tf.Tensor2D;
  const x = (logits.dtype === 'float32' ? logits : tf.cast(logits, 'float32')) as tf.Tensor2D;
  return [y, x];
}

const softplusWithGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const value = tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, tf.sigmoid(saved[0]))],
  };
});

/**
 * softplus(x) = log(1 + exp(x)), computed as max(x, 0) + log1p(exp(-|x|)) so that it never overflows, with the
 * exact gradient sigmoid(x) supplied by hand. Written out (instead of `tf.softplus`) so value and gradient come
 * from the same elementary kernels on every backend (cpu, wasm, node), and so the gradient does not depend on the
 * subgradients autodiff picks for relu and abs at 0 (tfjs's relu'(0) = 0 and abs'(0) = -1 happen to combine to
 * the right 0.5 there; the hand-written sigmoid(x) does not rely on that).
 */
export function softplus(x: tf.Tensor): tf.Tensor {
  return softplusWithGrad(x);
}
