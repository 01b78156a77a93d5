/**
 * The AU model: a Keras-layout backbone, global average pooling, and the AU head
 * BatchNorm -> ReLU -> Dropout -> Dense(numAus) producing logits (the caller applies sigmoid for scores).
 * `model`, `features` and `head` share their layers, so the head trained on cached pooled features (stage 1) is
 * the head of the full model fine-tuned in stage 2 (Arsirii & Petrosiuk 2023; fastai's fine_tune).
 */
import * as tf from '@tensorflow/tfjs';
import { bnAct } from './batch_norm';
import { imageInput } from './common';
import { countMultAdds } from './mult_adds';
import { preprocessFn, PreprocessMode } from './preprocessing';
import { getBackbone, resolveBackboneOptions } from './registry';
import { BackboneName } from './types';
import { loadBackboneWeights, WeightReport } from './weights';
import { deriveSeed } from '../util/rng';

export interface AuModelOptions {
  backbone: BackboneName;
  /** Square input side (default 224; MobileNets need a multiple of 32). */
  inputSize?: number;
  /** Number of AU outputs (default 8, or aus.length). */
  numAus?: number;
  /** AU names of the outputs, in order (recorded when saved). */
  aus?: string[];
  /** 'embedded', a weights file path, or null for random initialisation (default null). */
  weights?: 'embedded' | string | null;
  /** Dropout rate of the head (default 0.2). */
  dropout?: number;
  /** Seed of the head's (and a random backbone's) initialisation and of dropout. */
  seed?: number;
  /** MobileNet width multiplier (default 1.0). */
  alpha?: number;
  /** Fuse activations into BatchNorm layers (default true; outputs are identical). */
  fuseActivations?: boolean;
}

export interface AuModel {
  backbone: BackboneName;
  inputSize: number;
  numAus: number;
  aus: string[] | null;
  /** Image (preprocessed) -> logits [batch, numAus]; shares layers with `features` and `head`. */
  model: tf.LayersModel;
  /** Image (preprocessed) -> pooled features [batch, featureDim]. */
  features: tf.LayersModel;
  /** Pooled features -> logits (BatchNorm -> ReLU -> Dropout -> Dense). */
  head: tf.LayersModel;
  featureDim: number;
  weights: WeightReport | null;
  /** Preprocessing mode matching the loaded weights. */
  preprocessing: PreprocessMode;
  /** RGB 0..255 -> model input, matching the loaded weights. */
  preprocess: (x: tf.Tensor4D) => tf.Tensor4D;
  /** Backbone layers in graph order (everything between the input and the pooling). */
  backboneLayers(): tf.layers.Layer[];
  /** Freezes every backbone layer (BatchNorm then runs in inference mode); the head stays trainable. */
  freezeBackbone(): void;
  /** Makes every layer trainable; with `freezeBatchNorm`, BatchNorm layers stay frozen (inference mode). */
  unfreezeAll(opts?: { freezeBatchNorm?: boolean }): void;
  /**
   * Freezes the backbone before the first layer whose name starts with `layerPrefix` and unfreezes it and
   * everything after it (Keras names: 'conv_dw_12', 'block_13_', 'conv5_block'). Returns the number of
   * weighted layers unfrozen; throws if no layer name starts with the prefix.
   */
  unfreezeFrom(layerPrefix: string, opts?: { freezeBatchNorm?: boolean }): number;
  /** Number of trainable parameters now. */
  trainableParamCount(): number;
}

export const HEAD_LAYER_PREFIX = 'head_';
export const POOL_LAYER_NAME = 'avg_pool';

function sizeOf(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, d) => a * (d ?? 1), 1);
}

/** Sum of trainable weight sizes of a model (as Keras's "Trainable params"). */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((a, w) => a + sizeOf(w.shape), 0);
}

function isMovingStat(name: string): boolean {
  return /moving_(mean|variance)$/.test(name);
}

/** Wraps a built (or loaded) full model: finds the pooling and head layers and derives `features` and `head`. */
export function wrapAuModel(
  model: tf.LayersModel,
  meta: { backbone: BackboneName; inputSize: number; aus: string[] | null; weights: WeightReport | null; preprocessing: PreprocessMode },
): AuModel {
  const pool = model.getLayer(POOL_LAYER_NAME);
  const pooled = pool.getOutputAt(0) as tf.SymbolicTensor;
  const featureDim = pooled.shape[1] as number;
  const features = tf.model({ inputs: model.inputs, outputs: pooled, name: `${meta.backbone}_features` });
  const headLayers = model.layers.filter((l) => l.name.startsWith(HEAD_LAYER_PREFIX));
  const featIn = tf.input({ shape: [featureDim], name: 'pooled_features' });
  let h: tf.SymbolicTensor = featIn;
  for (const l of headLayers) h = l.apply(h) as tf.SymbolicTensor;
  const head = tf.model({ inputs: featIn, outputs: h, name: 'au_head' });
  const numAus = model.outputs[0].shape[1] as number;
  const poolIndex = model.layers.indexOf(pool);
  const backbone = model.layers.slice(0, poolIndex).filter((l) => l.getClassName() !== 'InputLayer');

  const setTrainable = (from: number, freezeBatchNorm: boolean): number => {
    let unfrozen = 0;
    backbone.forEach((l, i) => {
      const on = i >= from && !(freezeBatchNorm && l.getClassName() === 'FerAuBatchNormalization');
      l.trainable = on;
      if (on && l.weights.length) unfrozen++;
    });
    return unfrozen;
  };

  return {
    backbone: meta.backbone,
    inputSize: meta.inputSize,
    numAus,
    aus: meta.aus,
    model,
    features,
    head,
    featureDim,
    weights: meta.weights,
    preprocessing: meta.preprocessing,
    preprocess: preprocessFn(meta.preprocessing),
    backboneLayers: () => backbone.slice(),
    freezeBackbone: () => void setTrainable(backbone.length, false),
    unfreezeAll: (opts = {}) => void setTrainable(0, opts.freezeBatchNorm ?? false),
    unfreezeFrom: (layerPrefix, opts = {}) => {
      const i = backbone.findIndex((l) => l.name.startsWith(layerPrefix));
      if (i < 0) {
        const examples = backbone.filter((l) => l.weights.length).map((l) => l.name);
        throw new Error(
          `unfreezeFrom('${layerPrefix}'): no ${meta.backbone} layer name starts with it; e.g. ${examples.slice(-6).join(', ')}`,
        );
      }
      return setTrainable(i, opts.freezeBatchNorm ?? false);
    },
    trainableParamCount: () => trainableParams(model),
  };
}

/**
 * Builds the AU model on a Keras-exact backbone and loads its weights ('embedded', a file, or null = random).
 * The backbone starts trainable; call `freezeBackbone()` for stage 1.
 */
export async function buildAuModel(opts: AuModelOptions): Promise<AuModel> {
  const spec = getBackbone(opts.backbone);
  const numAus = opts.numAus ?? opts.aus?.length ?? 8;
  if (!Number.isInteger(numAus) || numAus < 1) throw new Error(`numAus must be a positive integer, got ${String(opts.numAus)}`);
  if (opts.aus && opts.aus.length !== numAus) throw new Error(`aus has ${opts.aus.length} names but numAus is ${numAus}`);
  const dropout = opts.dropout ?? 0.2;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout must be in [0, 1), got ${dropout}`);
  const o = resolveBackboneOptions(opts.backbone, {
    inputSize: opts.inputSize, alpha: opts.alpha, includeTop: false, fuseActivations: opts.fuseActivations, seed: opts.seed,
  });
  const input = imageInput(o.inputSize);
  const fmap = spec.graph(input, o); // [batch, s/32, s/32, featureDim]
  const pooled = tf.layers.globalAveragePooling2d({ name: POOL_LAYER_NAME }).apply(fmap) as tf.SymbolicTensor;
  let h = bnAct(pooled, `${HEAD_LAYER_PREFIX}bn`, `${HEAD_LAYER_PREFIX}relu`, 'relu', { epsilon: 1e-3, momentum: 0.99, fuse: o.fuse });
  const seed = opts.seed;
  h = tf.layers.dropout({ rate: dropout, seed: seed === undefined ? undefined : deriveSeed(seed, 'head_dropout'), name: `${HEAD_LAYER_PREFIX}dropout` }).apply(h) as tf.SymbolicTensor;
  h = tf.layers
    .dense({
      units: numAus, name: `${HEAD_LAYER_PREFIX}logits`,
      kernelInitializer: tf.initializers.glorotUniform(seed === undefined ? {} : { seed: deriveSeed(seed, 'head_logits') }),
    })
    .apply(h) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: h, name: `au_${opts.backbone}_${o.inputSize}` });
  let report: WeightReport | null = null;
  if (opts.weights) {
    report = await loadBackboneWeights(model, opts.weights, {
      backbone: opts.backbone,
      skipLayer: (name) => name.startsWith(HEAD_LAYER_PREFIX),
    });
  }
  return wrapAuModel(model, {
    backbone: opts.backbone, inputSize: o.inputSize, aus: opts.aus ?? null, weights: report,
    preprocessing: report?.preprocessing ?? spec.preprocessing,
  });
}

export interface AuModelSummary {
  backbone: BackboneName;
  inputSize: number;
  numAus: number;
  featureDim: number;
  weights: string;
  preprocessing: PreprocessMode;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Trainable parameters with the backbone frozen (the head's gamma, beta, kernel, bias). */
  trainableWhenFrozen: number;
  /** Trainable parameters with everything unfrozen (all but BatchNorm moving statistics). */
  trainableWhenUnfrozen: number;
  backboneParams: number;
  headParams: number;
  frozenLayers: number;
  trainableLayers: number;
  multAdds: number;
}

/** Parameter and layer counts of an AU model, for notebooks and logs. Does not change the model. */
export function auModelSummary(m: AuModel): AuModelSummary {
  const all = m.model.weights;
  const total = all.reduce((a, w) => a + sizeOf(w.shape), 0);
  const trainable = trainableParams(m.model);
  const headWeights = m.head.weights;
  const headParams = headWeights.reduce((a, w) => a + sizeOf(w.shape), 0);
  const learnable = (ws: typeof all) => ws.filter((w) => !isMovingStat(w.originalName)).reduce((a, w) => a + sizeOf(w.shape), 0);
  const layers = m.backboneLayers().filter((l) => l.weights.length);
  return {
    backbone: m.backbone, inputSize: m.inputSize, numAus: m.numAus, featureDim: m.featureDim,
    weights: m.weights ? `${m.weights.id} (${m.weights.dataset})` : 'random',
    preprocessing: m.preprocessing,
    totalParams: total, trainableParams: trainable, nonTrainableParams: total - trainable,
    trainableWhenFrozen: learnable(headWeights),
    trainableWhenUnfrozen: learnable(all),
    backboneParams: total - headParams, headParams,
    frozenLayers: layers.filter((l) => !l.trainable).length,
    trainableLayers: layers.filter((l) => l.trainable).length,
    multAdds: countMultAdds(m.model),
  };
}
