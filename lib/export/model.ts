/**
 * The AU model for the browser: the saved run model (lib/models/io: model.json + weights.bin + fer-au.json) with
 * this project's two custom layers rewritten as stock tfjs layers, so any tfjs page loads it with
 * `tf.loadLayersModel` and no project code:
 * - FerAuBatchNormalization (Keras BatchNorm, optionally with its ReLU/ReLU6 fused in for wasm training speed)
 *   -> BatchNormalization (same weight names gamma, beta, moving_mean, moving_variance; inference is the same
 *   formula);
 * - FerAuFusedActivation (the identity marker left where Keras has the activation layer) -> Activation with the
 *   activation that was fused into the BatchNorm before it.
 * A fused BatchNorm must feed only its markers, which is checked, so the rewrite computes exactly the same graph.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as tf from '@tensorflow/tfjs';
import { readJson, writeFileAtomic } from '../util/fs';
import { encodeWeight, type Quantize } from './quantize';

/* eslint-disable @typescript-eslint/no-explicit-any */
type LayerJson = { class_name: string; config: any; name?: string; inbound_nodes?: any[] };

/** Layers of a functional model topology, nested models included. */
function allLayers(topology: any): LayerJson[] {
  const out: LayerJson[] = [];
  const visit = (node: any) => {
    const layers: LayerJson[] | undefined = node?.config?.layers;
    if (!Array.isArray(layers)) return;
    for (const l of layers) {
      out.push(l);
      visit(l);
    }
  };
  visit(topology);
  return out;
}

/** Names of the layers that feed `layer` (functional inbound_nodes: [[[name, nodeIndex, tensorIndex, kwargs], ...], ...]). */
function inboundNames(layer: LayerJson): string[] {
  return (layer.inbound_nodes ?? []).flatMap((node: any[]) => node.map((edge: any) => String(edge[0])));
}

/**
 * Returns a copy of `topology` with FerAuBatchNormalization and FerAuFusedActivation replaced by stock layers.
 * Throws naming the layer when a fused BatchNorm feeds anything but its activation marker.
 */
export function stockTopology(topology: object): object {
  const copy = JSON.parse(JSON.stringify(topology));
  const layers = allLayers(copy);
  const byName = new Map(layers.map((l) => [String(l.config?.name ?? l.name), l]));
  const consumers = new Map<string, LayerJson[]>();
  for (const l of layers) for (const src of inboundNames(l)) consumers.set(src, [...(consumers.get(src) ?? []), l]);
  for (const l of layers) {
    if (l.class_name === 'FerAuFusedActivation') {
      const [src] = inboundNames(l);
      const bn = byName.get(src);
      const act = l.config.activation;
      if (!bn || bn.class_name !== 'FerAuBatchNormalization' || bn.config.activation !== act) {
        throw new Error(`layer ${l.config.name}: FerAuFusedActivation(${act}) does not follow a BatchNorm with activation ${act}`);
      }
    }
    if (l.class_name === 'FerAuBatchNormalization' && (l.config.activation ?? 'linear') !== 'linear') {
      const users = consumers.get(String(l.config.name)) ?? [];
      const bad = users.find((u) => u.class_name !== 'FerAuFusedActivation');
      if (bad || !users.length) throw new Error(`layer ${l.config.name}: fused ${l.config.activation} feeds ${bad ? bad.config.name : 'nothing'}, not its activation marker`);
    }
  }
  for (const l of layers) {
    if (l.class_name === 'FerAuBatchNormalization') {
      const { activation: _a, ...rest } = l.config;
      l.class_name = 'BatchNormalization';
      l.config = { ...rest, axis: -1, center: true, scale: true };
    } else if (l.class_name === 'FerAuFusedActivation') {
      l.class_name = 'Activation';
      l.config = { name: l.config.name, trainable: l.config.trainable, dtype: l.config.dtype, activation: l.config.activation };
    }
  }
  const left = allLayers(copy).find((l) => l.class_name.startsWith('FerAu'));
  if (left) throw new Error(`layer ${left.config.name}: custom class ${left.class_name} has no stock equivalent`);
  return copy;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface ExportedModel {
  files: string[];
  bytes: number;
  weights: number;
}

/**
 * Writes `modelDir` (a lib/models/io directory) to `outDir` as a stock tfjs layers model: model.json and
 * weights shards of at most 4 MB (the size tfjs-converter uses), weights stored as `quantize` says.
 */
export function writeBrowserModel(modelDir: string, outDir: string, quantize: Quantize): ExportedModel {
  const modelFile = path.join(modelDir, 'model.json');
  const json = readJson<{ modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig }>(modelFile);
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${modelFile}: not a tfjs layers model (modelTopology/weightsManifest missing)`);
  const buf = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths).map((p) => {
    const f = path.join(modelDir, p);
    if (!fs.existsSync(f)) throw new Error(`${modelFile}: weight file ${p} not found`);
    return fs.readFileSync(f);
  }));
  const SHARD = 4 * 1024 * 1024;
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const spec of json.weightsManifest.flatMap((g) => g.weights)) {
    if (spec.dtype !== 'float32' || spec.quantization) throw new Error(`${modelFile}: weight ${spec.name} is ${spec.quantization ? 'already quantized' : spec.dtype}; expected float32`);
    const n = spec.shape.reduce((a, d) => a * d, 1);
    if (offset + 4 * n > buf.length) throw new Error(`${modelFile}: weights end before ${spec.name}`);
    const values = new Float32Array(buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + 4 * n));
    offset += 4 * n;
    const enc = encodeWeight(spec, values, quantize);
    specs.push(enc.spec);
    chunks.push(enc.bytes);
  }
  if (offset !== buf.length) throw new Error(`${modelFile}: ${buf.length - offset} bytes of weights left over after the manifest`);
  const all = Buffer.concat(chunks);
  const paths: string[] = [];
  fs.mkdirSync(outDir, { recursive: true });
  for (let s = 0, k = 1; s < all.length || k === 1; s += SHARD, k++) {
    const name = `group1-shard${k}of${Math.max(1, Math.ceil(all.length / SHARD))}.bin`;
    writeFileAtomic(path.join(outDir, name), all.subarray(s, s + SHARD));
    paths.push(name);
    if (s + SHARD >= all.length) break;
  }
  const out = {
    format: 'layers-model',
    generatedBy: 'fer-au export',
    convertedBy: null,
    modelTopology: stockTopology(json.modelTopology),
    weightsManifest: [{ paths, weights: specs }],
  };
  writeFileAtomic(path.join(outDir, 'model.json'), JSON.stringify(out));
  return { files: ['model.json', ...paths], bytes: all.length, weights: specs.length };
}
