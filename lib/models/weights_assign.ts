/**
 * The one strict name-matching assigner every weight format goes through: a format's reader turns its file into
 * Keras-named `NamedWeight`s (layer, weight name, shape, values) and `assignNamedWeights` writes them by name
 * (timm keeps one filter function per family in the same way). Helpers for formats that decode tfjs tensor maps.
 */
import * as tf from '@tensorflow/tfjs';
import { NamedWeight } from './h5';

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

/** Decodes a tfjs tensor map into NamedWeights through `rename` (null: not a backbone weight, listed as ignored). */
export async function tensorMapToNamed(map: tf.NamedTensorMap, rename: (name: string) => { layer: string; name: string } | null): Promise<{ named: NamedWeight[]; ignored: string[] }> {
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

/** 'layer/.../name:0' -> {layer, name}: tfjs layers models name weights `<layer>/<weight>`. */
export function splitLast(key: string): { layer: string; name: string } {
  const i = key.lastIndexOf('/');
  if (i < 0) throw new Error(`weight name '${key}' has no layer part`);
  return { layer: key.slice(0, i), name: key.slice(i + 1).replace(/:\d+$/, '') };
}
