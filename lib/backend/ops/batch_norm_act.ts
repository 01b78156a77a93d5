import * as tf from '@tensorflow/tfjs';
import { ActCode, BN_ACT_FORWARD, registerBatchNormActKernels } from '../kernels/batch_norm_act_kernels';

// The fused kernels exist for the wasm and cpu backends; other backends (tensorflow, webgl) use the composition.
registerBatchNormActKernels();
const ACT_CODES: Record<BnActivation, ActCode> = { linear: 0, relu: 1, relu6: 2 };

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
 * BatchNormalization(training=False). Folded into one per-channel scale and shift (two passes over x, plus the
 * activation), so autograd through it is as cheap as through an affine op.
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
 * Gradient of act(y) w.r.t. y, from the activation's output z = act(y):
 * relu6 passes where 0 < z < 6, relu where z > 0. (At y exactly 0 or 6 this picks the same side as tfjs for
 * relu (0) and the other side for relu6 at 6; both are measure-zero ties.)
 */
function activationGrad(dz: tf.Tensor, z: tf.Tensor, act: BnActivation): tf.Tensor {
  if (act === 'linear') return dz;
  const pass = act === 'relu' ? tf.greater(z, 0) : tf.logicalAnd(tf.greater(z, 0), tf.less(z, 6));
  return tf.mul(dz, tf.cast(pass, 'float32'));
}

/**
 * BatchNorm in training mode followed by an activation: normalises with the batch moments over every axis
 * but the last, and returns them so the layer can update its moving statistics (Keras: biased variance for
 * normalisation, moving variance updated with the same biased batch variance).
 * Gradients flow through the batch moments, as in Keras.
 *
 * Implemented as one op with a hand-written gradient (tf.customGrad): the backward pass keeps only x, the
 * output and two per-channel vectors, instead of every intermediate of the composition, and computes the
 * standard BatchNorm gradient (Ioffe & Szegedy 2015, sec. 3) in a few passes:
 *   g = dz * act'(y),  xhat = (x - mean) * rstd,  dbeta = sum g,  dgamma = sum g * xhat,
 *   dx = gamma * rstd * (g - dbeta / n - xhat * dgamma / n)      (sums and n over every axis but the last)
 * The returned mean and variance carry no gradient (they feed the moving statistics only).
 */
export function batchNormActTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  act: BnActivation,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (!(act in ACT_CODES)) throw new Error(`batchNormActTraining: act must be one of ${Object.keys(ACT_CODES).join(', ')}, got '${act}'`);
  const fused = tf.getKernel(BN_ACT_FORWARD, tf.getBackend()) !== undefined;
  return fused ? trainingFused(x, gamma, beta, epsilon, act) : batchNormActTrainingComposed(x, gamma, beta, epsilon, act);
}

/**
 * The fused-kernel path (wasm, cpu): one forward and one backward kernel per layer. The forward kernel runs as a
 * plain kernel whose gradient is registered (lib/backend/kernels/batch_norm_act_kernels.ts), not through
 * tf.customGrad: the engine then saves x, gamma, z, mean and rstd itself, and mean and variance are ordinary
 * outputs in the caller's scope (customGrad would need them kept and cloned out, two more kernels per layer).
 */
function trainingFused(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number, act: BnActivation) {
  const [y, mean, variance, rstd] = tf.engine().runKernel(BN_ACT_FORWARD, { x, gamma, beta }, { epsilon, act: ACT_CODES[act] }) as tf.Tensor[];
  rstd.dispose(); // the tape holds its own clone for the gradient
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** Hands kept moments to the caller's scope like any op output (clones share the buffer) and drops the keeps. */
function release(kept: { mean: tf.Tensor1D; variance: tf.Tensor1D }): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const mean = tf.clone(kept.mean);
  const variance = tf.clone(kept.variance);
  kept.mean.dispose();
  kept.variance.dispose();
  return { mean, variance };
}

/**
 * The same op composed of stock tf ops with the same hand-written gradient, for backends without the fused
 * kernels (tensorflow, webgl). Exported for tests.
 */
export function batchNormActTrainingComposed(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  act: BnActivation,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const channels = x.shape[x.shape.length - 1];
  const count = x.size / channels;
  let kept: { mean: tf.Tensor1D; variance: tf.Tensor1D } | null = null;
  const op = tf.customGrad(((xIn: tf.Tensor, gammaIn: tf.Tensor, betaIn: tf.Tensor, save: tf.GradSaveFunc) => {
    const x2 = tf.reshape(xIn as tf.Tensor, [count, channels]);
    const m = tf.moments(x2, 0);
    kept = { mean: tf.keep(m.mean as tf.Tensor1D), variance: tf.keep(m.variance as tf.Tensor1D) };
    const rstd = tf.rsqrt(tf.add(m.variance, epsilon));
    const scale = tf.mul(gammaIn as tf.Tensor, rstd);
    const shift = tf.sub(betaIn as tf.Tensor, tf.mul(m.mean, scale));
    const z = tf.reshape(activate(tf.add(tf.mul(x2, scale), shift), act), (xIn as tf.Tensor).shape);
    save([xIn as tf.Tensor, z, m.mean, rstd, gammaIn as tf.Tensor]);
    return {
      value: z,
      gradFunc: (dz: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, zs, mean, r, gm] = saved;
        const g = tf.reshape(activationGrad(dz as tf.Tensor, zs, act), [count, channels]);
        const xhat = tf.mul(tf.sub(tf.reshape(xs, [count, channels]), mean), r);
        const dbeta = tf.sum(g, 0);
        const dgamma = tf.sum(tf.mul(g, xhat), 0);
        const k = tf.mul(gm, r); // gamma * rstd, [C]
        const dx = tf.mul(tf.sub(tf.sub(g, tf.div(dbeta, count)), tf.mul(xhat, tf.div(dgamma, count))), k);
        return [tf.reshape(dx, xs.shape), dgamma, dbeta];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta);
  return { y, ...release(kept as unknown as { mean: tf.Tensor1D; variance: tf.Tensor1D }) };
}
