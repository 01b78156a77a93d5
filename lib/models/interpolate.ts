/**
 * Weight-space interpolation of two models of the same architecture: WiSE-FT (Wortsman et al. 2022, "Robust
 * fine-tuning of zero-shot models", CVPR): theta(alpha) = (1 - alpha) * theta_0 + alpha * theta_1, with theta_0 the
 * pretrained (or linear-probed) weights and theta_1 the fine-tuned ones. alpha = 0 gives theta_0 and alpha = 1
 * gives theta_1 exactly (for finite weights). Weights pair up by name (Keras layer/weight names, unique in a
 * model; the order of model.weights differs between a built and a loaded model, since trainable weights come
 * first) and must agree in shape and dtype; `select` picks the weights that interpolate, the others are taken from
 * theta_1 unchanged (e.g. the head of the fine-tuned model).
 * BatchNorm moving statistics are weights like any other here: they interpolate when `select` picks them.
 */
import * as tf from '@tensorflow/tfjs';

/** A weight tensor with its name (model.weights' originalName). */
export interface WeightTensor {
  name: string;
  tensor: tf.Tensor;
}

export interface InterpolateOptions {
  /** Which weights interpolate (default all); the rest are copied from `to`. */
  select?: (name: string) => boolean;
}

/** name -> weight, refusing duplicate names (pairing by name needs them unique). */
function byName(ws: WeightTensor[], side: string): Map<string, WeightTensor> {
  const map = new Map<string, WeightTensor>();
  for (const w of ws) {
    if (map.has(w.name)) throw new Error(`interpolateWeights: weight name ${w.name} occurs twice in the ${side} weights`);
    map.set(w.name, w);
  }
  return map;
}

/**
 * (1 - alpha) * from + alpha * to, weight by weight (paired by name), in `to`'s order. Returns new tensors (the
 * caller disposes them); throws when the two sets differ in names, or a pair in shape or dtype, naming the weight.
 */
export function interpolateWeights(from: WeightTensor[], to: WeightTensor[], alpha: number, opts: InterpolateOptions = {}): WeightTensor[] {
  if (!Number.isFinite(alpha)) throw new Error(`interpolateWeights: alpha must be a finite number, got ${alpha}`);
  if (from.length !== to.length) throw new Error(`interpolateWeights: ${from.length} weights to interpolate from, ${to.length} to; not the same architecture`);
  const fromMap = byName(from, 'from');
  byName(to, 'to');
  const select = opts.select ?? (() => true);
  return to.map((b) => {
    const a = fromMap.get(b.name);
    if (!a) throw new Error(`interpolateWeights: weight ${b.name} has no namesake to interpolate from; not the same architecture`);
    if (a.tensor.shape.join(',') !== b.tensor.shape.join(',') || a.tensor.dtype !== b.tensor.dtype) {
      throw new Error(`interpolateWeights: weight ${b.name} is [${a.tensor.shape}] ${a.tensor.dtype} in one model, [${b.tensor.shape}] ${b.tensor.dtype} in the other`);
    }
    if (!select(b.name)) return { name: b.name, tensor: b.tensor.clone() };
    return { name: b.name, tensor: tf.tidy(() => tf.add(tf.mul(a.tensor, 1 - alpha), tf.mul(b.tensor, alpha))) };
  });
}

/** The current weights of a model (model.weights order, BatchNorm moving statistics included); not copies. */
export function namedModelWeights(model: tf.LayersModel): WeightTensor[] {
  return model.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
}

/**
 * Writes interpolateWeights(from, to, alpha) into `target` (a third model of the same architecture, so neither
 * source changes), by weight name. Returns the number of weights that interpolated.
 */
export function assignInterpolated(target: tf.LayersModel, from: tf.LayersModel, to: tf.LayersModel, alpha: number, opts: InterpolateOptions = {}): number {
  const mixed = byName(interpolateWeights(namedModelWeights(from), namedModelWeights(to), alpha, opts), 'interpolated');
  if (target.weights.length !== mixed.size) throw new Error(`assignInterpolated: target has ${target.weights.length} weights, the sources ${mixed.size}`);
  for (const w of target.weights) {
    const m = mixed.get(w.originalName);
    if (!m || w.shape.join(',') !== m.tensor.shape.join(',')) throw new Error(`assignInterpolated: target weight ${w.originalName} [${w.shape}] has no interpolated namesake of its shape`);
    w.write(m.tensor);
  }
  tf.dispose([...mixed.values()].map((m) => m.tensor));
  const select = opts.select ?? (() => true);
  return [...mixed.keys()].filter((name) => select(name)).length;
}

/** How far fine-tuning moved each weight: bitwise identical ones, and ||to - from|| / ||from|| of the others. */
export function compareWeights(from: WeightTensor[], to: WeightTensor[]): { identical: string[]; changed: { name: string; relativeChange: number }[] } {
  const fromMap = byName(from, 'from');
  const identical: string[] = [];
  const changed: { name: string; relativeChange: number }[] = [];
  for (const b of to) {
    const a = fromMap.get(b.name);
    if (!a || a.tensor.shape.join(',') !== b.tensor.shape.join(',')) throw new Error(`compareWeights: weight ${b.name} has no namesake of its shape`);
    const av = a.tensor.dataSync();
    const bv = b.tensor.dataSync();
    let d2 = 0;
    let a2 = 0;
    for (let i = 0; i < av.length; i++) {
      d2 += (bv[i] - av[i]) ** 2;
      a2 += av[i] ** 2;
    }
    if (d2 === 0) identical.push(b.name);
    else changed.push({ name: b.name, relativeChange: Math.sqrt(d2 / (a2 || 1)) });
  }
  return { identical, changed };
}
