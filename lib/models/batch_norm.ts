/**
 * Keras-compatible BatchNormalization (keras/src/layers/normalization/batch_normalization.py), with Keras TF2
 * semantics for frozen layers: a layer with `trainable = false` always normalises with its moving statistics and
 * never updates them, even when the model is called with `training: true` (tfjs's stock layer updates them).
 *
 * Weights have Keras's names, shapes and order (gamma, beta, moving_mean, moving_variance; each [channels]), so
 * Keras .h5 files and tfjs model.json files load by name. Optionally the activation that follows the layer in
 * Keras's graph is fused into it (`activation: 'relu' | 'relu6'`) for speed and memory on wasm; the Keras-named
 * activation layer then stays in the graph as a `FusedActivation` marker so names like `conv_pw_13_relu` still exist
 * and carry exactly Keras's activations.
 */
import * as tf from '@tensorflow/tfjs';
import { BnActivation, batchNormActInference, batchNormActTraining } from '../backend/ops/batch_norm_act';
import { updateMovingMoments } from '../backend/ops/moving_moments';

export type { BnActivation };

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;
type Kwargs = { [key: string]: unknown };
type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];

export interface BatchNormalizationArgs extends NonNullable<LayerArgs> {
  /** Keras default 0.99; MobileNetV2 uses 0.999. */
  momentum?: number;
  /** Keras default 1e-3; DenseNet uses 1.001e-5. */
  epsilon?: number;
  /** Activation fused after the normalisation ('linear' = none, as in Keras's layer itself). */
  activation?: BnActivation;
}

const ACTIVATIONS: readonly BnActivation[] = ['linear', 'relu', 'relu6'];

function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`expected exactly one input tensor, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

/** BatchNormalization over the last axis with Keras's weights and frozen-layer semantics (see the module comment). */
export class BatchNormalization extends tf.layers.Layer {
  static className = 'FerAuBatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly activation: BnActivation;
  private gamma!: LayerVariable;
  private beta!: LayerVariable;
  private movingMean!: LayerVariable;
  private movingVariance!: LayerVariable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.activation = args.activation ?? 'linear';
    if (!ACTIVATIONS.includes(this.activation)) {
      throw new Error(`BatchNormalization ${this.name}: activation '${this.activation}' is not one of ${ACTIVATIONS.join(', ')}`);
    }
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`BatchNormalization ${this.name}: momentum ${this.momentum} not in [0, 1]`);
    if (!(this.epsilon > 0)) throw new Error(`BatchNormalization ${this.name}: epsilon ${this.epsilon} must be > 0`);
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`BatchNormalization ${this.name}: the channel axis must be known, got shape [${shape.join(', ')}]`);
    // Order and names as Keras: trainable gamma, beta, then non-trainable moving_mean, moving_variance.
    this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros(), undefined, true);
    this.movingMean = this.addWeight('moving_mean', [channels], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [channels], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = one(inputs);
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    // Keras TF2: a frozen BatchNorm runs in inference mode whatever `training` says.
    if (kwargs['training'] === true && this.trainable) {
      const { y, mean, variance } = batchNormActTraining(x, gamma, beta, this.epsilon, this.activation);
      // Keras: moving = moving * momentum + batch * (1 - momentum), with the biased batch variance.
      const moving = updateMovingMoments(this.movingMean.read(), this.movingVariance.read(), mean, variance, this.momentum);
      this.movingMean.write(moving.mean);
      this.movingVariance.write(moving.variance);
      tf.dispose([mean, variance, moving.mean, moving.variance]); // the variables hold their own references
      return y;
    }
    return batchNormActInference(
      x,
      this.movingMean.read() as tf.Tensor1D,
      this.movingVariance.read() as tf.Tensor1D,
      gamma,
      beta,
      this.epsilon,
      this.activation,
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: -1, momentum: this.momentum, epsilon: this.epsilon, center: true, scale: true, activation: this.activation };
  }
}

/**
 * Stands where Keras has an activation layer (`conv1_relu`, `out_relu`, `conv2_block1_0_relu`) when that
 * activation was fused into the preceding BatchNormalization: the identity, so the Keras name exists and its
 * output is exactly Keras's activation output.
 */
export class FusedActivation extends tf.layers.Layer {
  static className = 'FerAuFusedActivation';
  readonly activation: BnActivation;

  constructor(args: NonNullable<LayerArgs> & { activation: BnActivation }) {
    super(args);
    this.activation = args.activation;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return one(inputs);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.activation };
  }
}

tf.serialization.registerClass(BatchNormalization);
tf.serialization.registerClass(FusedActivation);

/** Options shared by the family builders for a BatchNorm + activation pair. */
export interface BnActOptions {
  epsilon: number;
  momentum: number;
  /** Fuse the activation into the BatchNorm layer (default in the builders: true). */
  fuse: boolean;
}

/**
 * Keras's `BatchNormalization(name=bnName)` followed by `ReLU(6., name=actName)` (relu6) or
 * `Activation('relu', name=actName)` (relu); with `activation: 'linear'` only the BatchNorm.
 */
export function bnAct(
  x: tf.SymbolicTensor,
  bnName: string,
  actName: string | null,
  activation: BnActivation,
  o: BnActOptions,
): tf.SymbolicTensor {
  if (activation === 'linear' || actName === null) {
    return new BatchNormalization({ name: bnName, epsilon: o.epsilon, momentum: o.momentum }).apply(x) as tf.SymbolicTensor;
  }
  if (o.fuse) {
    const y = new BatchNormalization({ name: bnName, epsilon: o.epsilon, momentum: o.momentum, activation }).apply(x) as tf.SymbolicTensor;
    return new FusedActivation({ name: actName, activation }).apply(y) as tf.SymbolicTensor;
  }
  const y = new BatchNormalization({ name: bnName, epsilon: o.epsilon, momentum: o.momentum }).apply(x) as tf.SymbolicTensor;
  const act =
    activation === 'relu6' ? tf.layers.reLU({ maxValue: 6, name: actName }) : tf.layers.activation({ activation: 'relu', name: actName });
  return act.apply(y) as tf.SymbolicTensor;
}
