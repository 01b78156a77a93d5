/**
 * Pretrained backbone weights, loaded strictly by Keras layer and weight name.
 *
 * Sources (data-manifests/weights.json lists them with hashes):
 * - 'embedded' mobilenet_v1: the SSD-MobileNetV1 backbone shipped in @vladmandic/face-api (trained for face
 *   detection on WIDER FACE, not ImageNet). uint8-quantised; conv1 / conv_pw_i store BatchNorm folded into the
 *   kernel plus an offset, loaded as gamma 1, beta = offset, moving mean 0, moving variance 1 - epsilon;
 *   conv_dw_i store BatchNorm unfolded. face-api feeds it x / 127.5 - 1 and uses 'same' padding (equal to
 *   Keras's explicit (0, 1) padding at sizes that are multiples of 32).
 * - 'embedded' mobilenet_v2: the Keras MobileNetV2 1.0 layers model shipped in nsfwjs (fine-tuned for NSFW photo
 *   classification). uint8-quantised, Keras names, BatchNorm unfolded; nsfwjs feeds it x / 255.
 * - a Keras 2 .h5 file (official keras-applications ImageNet weights; see the manifest for URLs) or a tfjs
 *   layers model.json.
 * One file per format (weights_face_api.ts, weights_nsfwjs.ts, h5.ts for Keras .h5, weights_tfjs.ts for
 * model.json), each producing Keras-named weights for the one strict assigner (weights_assign.ts); the manifest
 * and file checks are in weights_manifest.ts. This file picks the format and reports what was loaded.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readKerasH5Weights } from './h5';
import { PreprocessMode } from './preprocessing';
import { BACKBONE_NAMES, BackboneName } from './types';
import { assignNamedWeights } from './weights_assign';
import { faceApiMobileNetV1Weights } from './weights_face_api';
import { kerasWeightsEntry, md5File, weightsManifest } from './weights_manifest';
import { nsfwjsMobileNetV2Weights } from './weights_nsfwjs';
import { readTfjsModelWeights } from './weights_tfjs';

export { assignNamedWeights, normaliseLayerName } from './weights_assign';
export { faceApiMobileNetV1Weights } from './weights_face_api';
export { kerasWeightsEntry, md5File, packageRoot, weightsManifest, WEIGHTS_MANIFEST_PATH } from './weights_manifest';
export type { KerasH5Entry, WeightsManifest } from './weights_manifest';
export { nsfwjsMobileNetV2Artifacts } from './weights_nsfwjs';
export { readTfjsModelWeights } from './weights_tfjs';

/** What was loaded into a model, from where; recorded in results. */
export interface WeightReport {
  /** 'embedded' or the file path given. */
  source: string;
  /** Manifest id (embedded sets, known Keras files) or the file's base name. */
  id: string;
  /** Human-readable origin, e.g. 'face-api SSD-MobileNetV1 (WIDER FACE)'. */
  description: string;
  /** What the weights were trained on. */
  dataset: string;
  format: 'face-api' | 'tfjs-layers' | 'keras-h5';
  backbone: BackboneName;
  /** The input preprocessing these weights expect. */
  preprocessing: PreprocessMode;
  /** Number of weight tensors assigned. */
  loaded: number;
  /** Number of layers that received weights. */
  layers: number;
  /** Model weights the source had no value for (loading throws unless `allowMissing`). */
  missing: string[];
  /** Source weights the model has no place for (e.g. a classifier top or a detection head); ignored. */
  unexpected: string[];
  /** File checks against the manifest, when the file is known to it. */
  checksum?: { md5: string; expectedMd5: string | null; bytes: number; expectedBytes: number | null; verified: boolean };
  notes: string[];
}

export interface LoadWeightsOptions {
  /** The model's backbone; detected from its layer names when omitted. */
  backbone?: BackboneName;
  /** Layers to leave alone (e.g. the AU head). Default: none. */
  skipLayer?: (layerName: string) => boolean;
  /** Do not throw when model weights are missing from the source (they are still reported). */
  allowMissing?: boolean;
}

/** Which backbone a model is, from its Keras layer names. */
export function detectBackbone(model: tf.LayersModel): BackboneName {
  const names = new Set(model.layers.map((l) => l.name));
  if (names.has('conv_pw_13')) return 'mobilenet_v1';
  if (names.has('Conv_1') && names.has('block_16_project')) return 'mobilenet_v2';
  if (names.has('conv5_block32_2_conv') && names.has('conv4_block48_2_conv')) return 'densenet201';
  if (names.has('conv5_block16_2_conv') && names.has('conv4_block24_2_conv') && !names.has('conv4_block25_2_conv')) return 'densenet121';
  throw new Error(`cannot tell which backbone this model is from its layer names; pass { backbone } (one of ${BACKBONE_NAMES.join(', ')})`);
}

const DEFAULT_PREPROCESSING: Record<BackboneName, PreprocessMode> = {
  mobilenet_v1: 'tf', mobilenet_v2: 'tf', densenet121: 'torch', densenet201: 'torch',
};

/**
 * Loads pretrained weights into a Keras-layout backbone (or an AU model containing one), strictly by name:
 * missing weights and shape mismatches throw; weights the model has no place for are listed in the report.
 * `source`: 'embedded' (mobilenet_v1: face-api; mobilenet_v2: nsfwjs), a Keras .h5 path or a tfjs model.json path.
 */
export async function loadBackboneWeights(model: tf.LayersModel, source: 'embedded' | string, opts: LoadWeightsOptions = {}): Promise<WeightReport> {
  const backbone = opts.backbone ?? detectBackbone(model);
  const notes: string[] = [];
  if (source === 'embedded') {
    if (backbone === 'densenet121' || backbone === 'densenet201') {
      const e = kerasWeightsEntry(backbone);
      throw new Error(
        `${backbone} has no embedded weights. Download the official Keras ImageNet weights ${e.filename} ` +
          `(md5 ${e.md5}) from ${e.url} and pass the file with --weights PATH (or weights: PATH).`,
      );
    }
    const { named, ignored, entry } = backbone === 'mobilenet_v1' ? await faceApiMobileNetV1Weights() : await nsfwjsMobileNetV2Weights();
    const sourceName = `${entry.package}@${entry.packageVersion} (${entry.id})`;
    const r = assignNamedWeights(model, named, { skipLayer: opts.skipLayer, allowMissing: opts.allowMissing, sourceName });
    if (backbone === 'mobilenet_v1') {
      notes.push('face detector backbone trained on WIDER FACE, not ImageNet');
      notes.push(`${ignored.length} SSD detection-head tensors ignored`);
      notes.push('conv1 and conv_pw_i BatchNorm were folded into the kernels: loaded as gamma 1, beta = offset, mean 0, variance 1 - epsilon');
    } else {
      notes.push('NSFW photo classifier (nsfwjs) fine-tuned from MobileNetV2, not ImageNet; expects x / 255 inputs (preprocessing "unit"), not Keras\'s x / 127.5 - 1');
    }
    return {
      source, id: entry.id,
      description: backbone === 'mobilenet_v1' ? 'face-api SSD-MobileNetV1 (WIDER FACE)' : 'nsfwjs MobileNetV2 1.0 (NSFW photos)',
      dataset: entry.dataset, format: backbone === 'mobilenet_v1' ? 'face-api' : 'tfjs-layers', backbone,
      preprocessing: entry.preprocessing, ...r, unexpected: [...r.unexpected, ...ignored], notes,
    };
  }
  if (!fs.existsSync(source)) throw new Error(`${source}: weights file not found`);
  const base = path.basename(source);
  let checksum: WeightReport['checksum'];
  const known = weightsManifest().kerasH5.find((k) => k.filename === base);
  if (known) {
    const bytes = fs.statSync(source).size;
    const md5 = await md5File(source);
    if (known.md5 && md5 !== known.md5) throw new Error(`${source}: md5 ${md5} does not match ${known.md5} listed for ${known.filename} (${known.url}); the file is corrupt or different`);
    if (known.bytes !== null && bytes !== known.bytes) throw new Error(`${source}: ${bytes} bytes, expected ${known.bytes} for ${known.filename}`);
    if (known.backbone !== backbone) throw new Error(`${source}: ${known.filename} holds ${known.backbone} weights, but the model is ${backbone}`);
    checksum = { md5, expectedMd5: known.md5, bytes, expectedBytes: known.bytes, verified: known.md5 !== null };
    if (!known.md5) notes.push(`no published md5 for ${known.filename}; size and hash recorded, not verified`);
  }
  const isJson = source.toLowerCase().endsWith('.json');
  const named = isJson ? await readTfjsModelWeights(source) : await readKerasH5Weights(source);
  const r = assignNamedWeights(model, named, { skipLayer: opts.skipLayer, allowMissing: opts.allowMissing, sourceName: source });
  return {
    source, id: known?.id ?? base,
    description: known ? `Keras applications ${backbone} (${known.dataset})` : `${isJson ? 'tfjs model' : 'Keras .h5'} ${base}`,
    dataset: known?.dataset ?? 'unknown (user file)', format: isJson ? 'tfjs-layers' : 'keras-h5', backbone,
    preprocessing: known?.preprocessing ?? DEFAULT_PREPROCESSING[backbone], ...r, checksum, notes,
  };
}
