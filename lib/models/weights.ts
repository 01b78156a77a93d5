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
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readJson } from '../util/fs';
import { NamedWeight, readKerasH5Weights } from './h5';
import { PreprocessMode } from './preprocessing';
import { BACKBONE_NAMES, BackboneName } from './types';

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

interface EmbeddedEntry {
  id: string; backbone: BackboneName; alpha: number; package: string; packageVersion: string;
  files: Record<string, string>; md5: Record<string, string>; dataset: string; preprocessing: PreprocessMode; notes: string;
}
export interface KerasH5Entry {
  id: string; backbone: BackboneName; alpha: number; inputSize: number; includeTop: boolean; filename: string; url: string;
  md5: string | null; bytes: number | null; dataset: string; preprocessing: PreprocessMode; source: string;
}
export interface WeightsManifest { schemaVersion: number; description: string; embedded: EmbeddedEntry[]; kerasH5: KerasH5Entry[] }

/** data-manifests/weights.json of the repository (found upward from this file, so a compiled copy finds it too). */
export const WEIGHTS_MANIFEST_PATH = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'data-manifests', 'weights.json');
    if (fs.existsSync(f)) return f;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..', 'data-manifests', 'weights.json');
  }
})();
let manifestCache: WeightsManifest | null = null;

/** data-manifests/weights.json. */
export function weightsManifest(): WeightsManifest {
  if (!manifestCache) manifestCache = readJson<WeightsManifest>(WEIGHTS_MANIFEST_PATH);
  return manifestCache;
}

/** The official Keras .h5 (ImageNet) for a backbone: no-top, alpha 1.0, 224 px unless told otherwise. */
export function kerasWeightsEntry(backbone: BackboneName, opts: { includeTop?: boolean; alpha?: number; inputSize?: number } = {}): KerasH5Entry {
  const e = weightsManifest().kerasH5.find(
    (k) => k.backbone === backbone && k.includeTop === (opts.includeTop ?? false) && k.alpha === (opts.alpha ?? 1.0) && k.inputSize === (opts.inputSize ?? 224),
  );
  if (!e) throw new Error(`${WEIGHTS_MANIFEST_PATH}: no Keras weights entry for ${backbone} ${JSON.stringify(opts)}`);
  return e;
}

/** The root folder of an installed npm package. */
export function packageRoot(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of npm package ${name}`);
    dir = up;
  }
}

function embeddedFile(entry: EmbeddedEntry, key: string): string {
  const rel = entry.files[key];
  return path.join(packageRoot(entry.package), path.relative(entry.package, rel));
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

/** Keras 2 DenseNet files spell the stem `conv1/conv`, `conv1/bn`; the models use Keras 3's `conv1_conv`, `conv1_bn`. */
export function normaliseLayerName(name: string): string {
  return name.replace(/\//g, '_');
}

function shapeStr(s: readonly (number | null)[]): string {
  return `[${s.join(', ')}]`;
}

/**
 * Assigns `weights` to the model's layers by (layer, weight) name. Shape mismatches throw (all of them listed);
 * missing weights throw unless `allowMissing`; weights the model has no place for are reported, not loaded.
 */
export function assignNamedWeights(
  model: tf.LayersModel,
  weights: NamedWeight[],
  opts: { skipLayer?: (layerName: string) => boolean; allowMissing?: boolean; sourceName: string },
): { loaded: number; layers: number; missing: string[]; unexpected: string[] } {
  const byKey = new Map<string, NamedWeight>();
  for (const w of weights) {
    const key = `${normaliseLayerName(w.layer)}/${w.name}`;
    if (byKey.has(key)) throw new Error(`${opts.sourceName}: weight ${key} appears twice`);
    byKey.set(key, w);
  }
  const used = new Set<string>();
  const missing: string[] = [];
  const mismatched: string[] = [];
  const assignments: { variable: (typeof model.layers)[number]['weights'][number]; w: NamedWeight }[] = [];
  const touched = new Set<string>();
  for (const layer of model.layers) {
    if (opts.skipLayer?.(layer.name)) continue;
    for (const v of layer.weights) {
      const short = v.originalName.split('/').pop()!;
      const key = `${layer.name}/${short}`;
      const w = byKey.get(key);
      if (!w) {
        missing.push(key);
        continue;
      }
      used.add(key);
      const expected = v.shape as number[];
      if (w.shape.length !== expected.length || w.shape.some((d, i) => d !== expected[i])) {
        mismatched.push(`${key}: model ${shapeStr(expected)}, source ${shapeStr(w.shape)}`);
        continue;
      }
      assignments.push({ variable: v, w });
      touched.add(layer.name);
    }
  }
  if (mismatched.length) {
    throw new Error(`${opts.sourceName}: ${mismatched.length} weight shape mismatch(es), nothing loaded: ${mismatched.slice(0, 8).join('; ')}${mismatched.length > 8 ? '; ...' : ''}`);
  }
  if (missing.length && !opts.allowMissing) {
    throw new Error(`${opts.sourceName}: ${missing.length} model weight(s) missing from the source, nothing loaded: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`);
  }
  for (const { variable, w } of assignments) {
    const t = tf.tensor(w.values, w.shape, 'float32');
    variable.write(t);
    t.dispose();
  }
  const unexpected = [...byKey.keys()].filter((k) => !used.has(k));
  return { loaded: assignments.length, layers: touched.size, missing, unexpected };
}

async function tensorMapToNamed(map: tf.NamedTensorMap, rename: (name: string) => { layer: string; name: string } | null): Promise<{ named: NamedWeight[]; ignored: string[] }> {
  const named: NamedWeight[] = [];
  const ignored: string[] = [];
  for (const [key, t] of Object.entries(map)) {
    const r = rename(key);
    if (r) named.push({ layer: r.layer, name: r.name, shape: t.shape.slice(), values: (await t.data()) as Float32Array });
    else ignored.push(key);
    t.dispose();
  }
  return { named, ignored };
}

function splitLast(key: string): { layer: string; name: string } {
  const i = key.lastIndexOf('/');
  if (i < 0) throw new Error(`weight name '${key}' has no layer part`);
  return { layer: key.slice(0, i), name: key.slice(i + 1).replace(/:\d+$/, '') };
}

/** face-api's SSD-MobileNetV1 backbone as Keras-named MobileNet weights (see the module comment). */
export async function faceApiMobileNetV1Weights(epsilon = 1e-3): Promise<{ named: NamedWeight[]; ignored: string[]; entry: EmbeddedEntry }> {
  const entry = weightsManifest().embedded.find((e) => e.id === 'face-api-ssd-mobilenetv1')!;
  const manifestFile = embeddedFile(entry, 'manifest');
  const binFile = embeddedFile(entry, 'weights');
  const groups = readJson<tf.io.WeightsManifestConfig>(manifestFile);
  const specs = groups.flatMap((g) => g.weights);
  const buf = fs.readFileSync(binFile);
  const map = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
  const { named, ignored } = await tensorMapToNamed(map, (key) => {
    let m = /^MobilenetV1\/Conv2d_(\d+)_pointwise\/weights$/.exec(key);
    if (m) return { layer: m[1] === '0' ? 'conv1' : `conv_pw_${m[1]}`, name: 'kernel' };
    m = /^MobilenetV1\/Conv2d_(\d+)_pointwise\/convolution_bn_offset$/.exec(key);
    if (m) return { layer: m[1] === '0' ? 'conv1_bn' : `conv_pw_${m[1]}_bn`, name: 'beta' };
    m = /^MobilenetV1\/Conv2d_(\d+)_depthwise\/depthwise_weights$/.exec(key);
    if (m) return { layer: `conv_dw_${m[1]}`, name: 'depthwise_kernel' };
    m = /^MobilenetV1\/Conv2d_(\d+)_depthwise\/BatchNorm\/(gamma|beta|moving_mean|moving_variance)$/.exec(key);
    if (m) return { layer: `conv_dw_${m[1]}_bn`, name: m[2] };
    return null;
  });
  // Folded BatchNorm: y = conv(x) + offset, i.e. gamma 1, beta offset, mean 0, variance 1 - eps (sqrt(var + eps) = 1).
  for (const w of named.filter((n) => n.name === 'beta' && (n.layer === 'conv1_bn' || n.layer.startsWith('conv_pw_')))) {
    const c = w.shape[0];
    named.push({ layer: w.layer, name: 'gamma', shape: [c], values: new Float32Array(c).fill(1) });
    named.push({ layer: w.layer, name: 'moving_mean', shape: [c], values: new Float32Array(c) });
    named.push({ layer: w.layer, name: 'moving_variance', shape: [c], values: new Float32Array(c).fill(1 - epsilon) });
  }
  return { named, ignored, entry };
}

/** The JS-wrapped tfjs model (topology + weights manifest + weight bytes) of nsfwjs's MobileNetV2. */
export function nsfwjsMobileNetV2Artifacts(): tf.io.ModelArtifacts {
  const entry = weightsManifest().embedded.find((e) => e.id === 'nsfwjs-mobilenet-v2')!;
  const model = require(embeddedFile(entry, 'model')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
  const b64 = require(embeddedFile(entry, 'weights')) as string;
  if (typeof b64 !== 'string') throw new Error(`${embeddedFile(entry, 'weights')}: expected a base64 string export`);
  const bytes = Buffer.from(b64, 'base64');
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    format: 'layers-model',
  };
}

async function nsfwjsMobileNetV2Weights(): Promise<{ named: NamedWeight[]; ignored: string[]; entry: EmbeddedEntry }> {
  const entry = weightsManifest().embedded.find((e) => e.id === 'nsfwjs-mobilenet-v2')!;
  const a = nsfwjsMobileNetV2Artifacts();
  const map = tf.io.decodeWeights(a.weightData as ArrayBuffer, a.weightSpecs!);
  const { named, ignored } = await tensorMapToNamed(map, splitLast);
  return { named, ignored, entry };
}

/** Weights of a tfjs layers model.json and its weight files. */
export async function readTfjsModelWeights(file: string): Promise<NamedWeight[]> {
  const json = readJson<{ weightsManifest?: tf.io.WeightsManifestConfig }>(file);
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file}: no weightsManifest (not a tfjs model.json)`);
  const dir = path.dirname(file);
  const buffers: Buffer[] = [];
  for (const g of json.weightsManifest) {
    for (const p of g.paths) {
      const f = path.join(dir, p);
      if (!fs.existsSync(f)) throw new Error(`${file}: weight file ${p} not found next to it`);
      buffers.push(fs.readFileSync(f));
    }
  }
  const all = Buffer.concat(buffers);
  const map = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), json.weightsManifest.flatMap((g) => g.weights));
  return (await tensorMapToNamed(map, splitLast)).named;
}

/** md5 (hex) of a file, streamed. */
export async function md5File(file: string): Promise<string> {
  const h = crypto.createHash('md5');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
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
