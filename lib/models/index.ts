// lib/models: Keras-exact backbones, their registry, weight loaders and the AU model.
export { BACKBONE_NAMES, assertBackboneName } from './types';
export type { BackboneName } from './types';
export { BACKBONES, buildBackbone, getBackbone, resolveBackboneOptions } from './registry';
export type { BackboneSpec, BackboneWeightSource } from './registry';
export type { BackboneBuildOptions } from './common';
export { mobileNetV1, mobileNetV1Graph, mobilenetV1PointwiseShapes, MOBILENET_V1_ALPHAS, MOBILENET_V1_BLOCKS } from './mobilenet_v1';
export { mobileNetV2, mobileNetV2Graph, makeDivisible, MOBILENET_V2_ALPHAS } from './mobilenet_v2';
export { denseNet, denseNet121, denseNet201, denseNetGraph, DENSENET121_BLOCKS, DENSENET201_BLOCKS } from './densenet';
export { BatchNormalization, FusedActivation, bnAct } from './batch_norm';
export type { BatchNormalizationArgs, BnActivation } from './batch_norm';
export {
  IMAGENET_MEAN, IMAGENET_STD, PREPROCESS_DESCRIPTIONS, PREPROCESS_MODES,
  preprocessFn, preprocessTf, preprocessTorch, preprocessUnit,
} from './preprocessing';
export type { PreprocessMode } from './preprocessing';
export { countMultAdds, multAddsByLayer } from './mult_adds';
export {
  assignNamedWeights, detectBackbone, faceApiMobileNetV1Weights, kerasWeightsEntry, loadBackboneWeights, md5File,
  nsfwjsMobileNetV2Artifacts, normaliseLayerName, packageRoot, readTfjsModelWeights, weightsManifest, WEIGHTS_MANIFEST_PATH,
} from './weights';
export type { KerasH5Entry, LoadWeightsOptions, WeightReport, WeightsManifest } from './weights';
export { loadH5wasm, readKerasH5Weights } from './h5';
export type { NamedWeight } from './h5';
export { auModelSummary, buildAuModel, HEAD_LAYER_PREFIX, POOL_LAYER_NAME, trainableParams, wrapAuModel } from './au_model';
export type { AuModel, AuModelOptions, AuModelSummary } from './au_model';
export { AU_MODEL_FORMAT, AU_MODEL_VERSION, loadAuModel, saveAuModel } from './io';
export type { AuModelMeta } from './io';
export { assignInterpolated, compareWeights, interpolateWeights, namedModelWeights } from './interpolate';
export type { InterpolateOptions, WeightTensor } from './interpolate';
