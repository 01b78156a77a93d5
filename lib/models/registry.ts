/**
 * The backbone registry (after timm's `_registry.py`): everything needed to use a backbone, by name.
 * Parameter counts and mult-adds are Keras's / the papers' published figures; tests check the builders against them.
 */
import * as tf from '@tensorflow/tfjs';
import { BackboneBuildOptions, imageInput, resolveBuildOptions, ResolvedBuildOptions } from './common';
import { denseNetGraph, DENSENET121_BLOCKS, DENSENET201_BLOCKS } from './densenet';
import { checkMobileNetV1Options, mobileNetV1Graph, MOBILENET_V1_ALPHAS } from './mobilenet_v1';
import { checkMobileNetV2Options, mobileNetV2Graph, MOBILENET_V2_ALPHAS } from './mobilenet_v2';
import { preprocessFn, PreprocessMode } from './preprocessing';
import { assertBackboneName, BACKBONE_NAMES, BackboneName } from './types';

export { BACKBONE_NAMES };
export type { BackboneName };

export interface BackboneWeightSource {
  /** 'embedded' (ships in an npm package, loads offline) or 'keras-h5' (official file the user downloads). */
  kind: 'embedded' | 'keras-h5';
  /** Manifest id in data-manifests/weights.json. */
  id: string;
  dataset: string;
  preprocessing: PreprocessMode;
}

export interface BackboneSpec {
  name: BackboneName;
  /** Keras application it reproduces. */
  keras: string;
  paper: string;
  /** Builds the Keras application model (= `buildBackbone(name, opts)`). */
  build: (opts?: BackboneBuildOptions) => tf.LayersModel;
  /** Builds the backbone graph on an input; returns the feature map (or the top when includeTop). */
  graph: (input: tf.SymbolicTensor, o: ResolvedBuildOptions) => tf.SymbolicTensor;
  /** Validates options (throws with the bad value) before anything is built. */
  check: (o: ResolvedBuildOptions) => void;
  /** Name of the last feature layer (Keras's). */
  featureLayer: string;
  /** Channels of the feature map = pooled feature size (alpha 1.0). */
  featureDim: number;
  /** Keras preprocessing mode of the official weights. */
  preprocessing: PreprocessMode;
  /** RGB 0..255 [batch, h, w, 3] -> the backbone's input. */
  preprocess: (x: tf.Tensor4D) => tf.Tensor4D;
  /** Input sizes must be a multiple of this. */
  inputMultiple: number;
  defaultInputSize: number;
  alphas: readonly number[];
  /** Published mult-adds of the 224 px classifier. */
  multAdds224: number;
  /** Keras `model.count_params()` at alpha 1.0, without and with the 1000-class top. */
  params: { noTop: number; withTop: number };
  /** Weight sources, embedded first. */
  weights: BackboneWeightSource[];
}

const MOBILENET_WEIGHTS_IMAGENET = 'mobilenet_1_0_224_tf_no_top';

export const BACKBONES: Record<BackboneName, BackboneSpec> = {
  mobilenet_v1: {
    name: 'mobilenet_v1',
    build: (opts) => buildBackbone('mobilenet_v1', opts),
    keras: 'keras.applications.MobileNet',
    paper: 'Howard et al. 2017, arXiv:1704.04861',
    graph: mobileNetV1Graph,
    check: checkMobileNetV1Options,
    featureLayer: 'conv_pw_13_relu',
    featureDim: 1024,
    preprocessing: 'tf',
    preprocess: preprocessFn('tf'),
    inputMultiple: 32,
    defaultInputSize: 224,
    alphas: MOBILENET_V1_ALPHAS,
    multAdds224: 569e6,
    params: { noTop: 3_228_864, withTop: 4_253_864 },
    weights: [
      { kind: 'embedded', id: 'face-api-ssd-mobilenetv1', dataset: 'WIDER FACE (face detection)', preprocessing: 'tf' },
      { kind: 'keras-h5', id: MOBILENET_WEIGHTS_IMAGENET, dataset: 'ImageNet', preprocessing: 'tf' },
    ],
  },
  mobilenet_v2: {
    name: 'mobilenet_v2',
    build: (opts) => buildBackbone('mobilenet_v2', opts),
    keras: 'keras.applications.MobileNetV2',
    paper: 'Sandler et al. 2018, arXiv:1801.04381',
    graph: mobileNetV2Graph,
    check: checkMobileNetV2Options,
    featureLayer: 'out_relu',
    featureDim: 1280,
    preprocessing: 'tf',
    preprocess: preprocessFn('tf'),
    inputMultiple: 32,
    defaultInputSize: 224,
    alphas: MOBILENET_V2_ALPHAS,
    multAdds224: 300e6,
    params: { noTop: 2_257_984, withTop: 3_538_984 },
    weights: [
      { kind: 'embedded', id: 'nsfwjs-mobilenet-v2', dataset: 'NSFW photos (nsfwjs)', preprocessing: 'unit' },
      { kind: 'keras-h5', id: 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top', dataset: 'ImageNet', preprocessing: 'tf' },
    ],
  },
  densenet121: {
    name: 'densenet121',
    build: (opts) => buildBackbone('densenet121', opts),
    keras: 'keras.applications.DenseNet121',
    paper: 'Huang et al. 2017, arXiv:1608.06993',
    graph: (input, o) => denseNetGraph(input, DENSENET121_BLOCKS, o),
    check: checkDenseNetOptions,
    featureLayer: 'relu',
    featureDim: 1024,
    preprocessing: 'torch',
    preprocess: preprocessFn('torch'),
    inputMultiple: 1,
    defaultInputSize: 224,
    alphas: [1.0],
    multAdds224: 2.83e9,
    params: { noTop: 7_037_504, withTop: 8_062_504 },
    weights: [{ kind: 'keras-h5', id: 'densenet121_weights_tf_dim_ordering_tf_kernels_notop', dataset: 'ImageNet', preprocessing: 'torch' }],
  },
  densenet201: {
    name: 'densenet201',
    build: (opts) => buildBackbone('densenet201', opts),
    keras: 'keras.applications.DenseNet201',
    paper: 'Huang et al. 2017, arXiv:1608.06993',
    graph: (input, o) => denseNetGraph(input, DENSENET201_BLOCKS, o),
    check: checkDenseNetOptions,
    featureLayer: 'relu',
    featureDim: 1920,
    preprocessing: 'torch',
    preprocess: preprocessFn('torch'),
    inputMultiple: 1,
    defaultInputSize: 224,
    alphas: [1.0],
    multAdds224: 4.29e9,
    params: { noTop: 18_321_984, withTop: 20_242_984 },
    weights: [{ kind: 'keras-h5', id: 'densenet201_weights_tf_dim_ordering_tf_kernels_notop', dataset: 'ImageNet', preprocessing: 'torch' }],
  },
};

function checkDenseNetOptions(o: ResolvedBuildOptions): void {
  if (o.alpha !== 1.0) throw new Error(`densenet: alpha must be 1.0 (DenseNet has no width multiplier), got ${o.alpha}`);
}

/** The spec of a backbone; an unknown name throws, listing the valid ones. */
export function getBackbone(name: string): BackboneSpec {
  assertBackboneName(name);
  return BACKBONES[name];
}

/** Resolves and validates build options for a backbone (throws before anything is built). */
export function resolveBackboneOptions(name: string, opts: BackboneBuildOptions = {}): ResolvedBuildOptions {
  const spec = getBackbone(name);
  const o = resolveBuildOptions({ inputSize: spec.defaultInputSize, ...opts });
  spec.check(o);
  return o;
}

/**
 * Keras's application model, randomly initialised: layer names, parameter counts and weight shapes are Keras's.
 * Output: the feature map [batch, s/32, s/32, featureDim] (`featureLayer`), or softmax [batch, classes] with the top.
 */
export function buildBackbone(name: BackboneName, opts: BackboneBuildOptions = {}): tf.LayersModel {
  const spec = getBackbone(name);
  const o = resolveBackboneOptions(name, opts);
  const input = imageInput(o.inputSize);
  const out = spec.graph(input, o);
  return tf.model({ inputs: input, outputs: out, name: `${name}_${o.inputSize}${o.includeTop ? '' : '_notop'}` });
}
