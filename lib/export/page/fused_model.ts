/**
 * Inference plan for a stock tfjs LayersModel (the exported AU model) that runs Conv2D / DepthwiseConv2D, the
 * BatchNormalization after it and the ReLU / ReLU6 after that as one fused tfjs op (tf.fused.conv2d /
 * tf.fused.depthwiseConv2d with bias and activation), with the BatchNorm folded into the filter and bias once at
 * load, and a ZeroPadding2D before a 'valid' convolution folded into the convolution's padding when it is exactly
 * TF's 'same' padding. Every other layer runs as itself (layer.apply). Why: tfjs-layers runs MobileNet-v1's
 * relu6 as Relu + Minimum (a broadcasting kernel that took as long as all the convolutions on wasm), BatchNorm and
 * padding as separate passes over memory, and never fuses depthwise convolutions.
 *
 * Folding (Ioffe & Szegedy 2015, inference form; as TFLite's converter does): BN(y) = gamma (y - mean) /
 * sqrt(var + eps) + beta = s y + (beta - s mean) with s = gamma / sqrt(var + eps), so the filter's output channel o is
 * scaled by s[o] and the bias becomes s (bias - mean) + beta. Same function up to float rounding.
 */
import * as tf from '@tensorflow/tfjs';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyLayer = tf.layers.Layer & { [k: string]: any };

interface Step {
  layer: AnyLayer;
  /** [producing layer name, tensor index] per input. */
  inputs: [string, number][];
  /** Names under which the step's output is stored (the fused chain's last layer). */
  output: string;
  run(xs: tf.Tensor[]): tf.Tensor | tf.Tensor[];
}

export interface FusedModel {
  predict(x: tf.Tensor): tf.Tensor;
  /** Convolutions that run fused (with their BatchNorm / activation folded in). */
  fused: number;
  /** Layers that run as themselves. */
  plain: number;
  dispose(): void;
}

const ACTS = new Set(['relu', 'relu6', 'linear']);

function weightByName(layer: AnyLayer, name: string): tf.Tensor | null {
  const w = layer.weights.find((v: any) => String(v.originalName ?? v.name).split('/').pop()!.replace(/_\d+$/, '') === name);
  return w ? (w.read() as tf.Tensor) : null;
}

/** The layer's config (camelCase keys, as tfjs-layers' getConfig gives them). */
const cfgOf = (layer: AnyLayer): any => layer.getConfig();

function activationName(layer: AnyLayer): string {
  const a = cfgOf(layer).activation;
  return typeof a === 'string' ? a : String(a?.class_name ?? a?.className ?? 'unknown').toLowerCase();
}

/** TF 'same' padding (before, after) of one axis of size n, kernel k, stride s. */
export function samePad(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** BatchNorm as scale and shift per channel ([c] each), from its weights and config. */
function bnScaleShift(bn: AnyLayer): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  return tf.tidy(() => {
    const cfg = cfgOf(bn);
    const mean = weightByName(bn, 'moving_mean')!;
    const variance = weightByName(bn, 'moving_variance')!;
    const gamma = cfg.scale === false ? tf.onesLike(mean) : weightByName(bn, 'gamma')!;
    const beta = cfg.center === false ? tf.zerosLike(mean) : weightByName(bn, 'beta')!;
    const scale = tf.div(gamma, tf.sqrt(tf.add(variance, Number(cfg.epsilon)))) as tf.Tensor1D;
    return { scale, shift: tf.sub(beta, tf.mul(scale, mean)) as tf.Tensor1D };
  });
}

/** Inbound edges and consumers of each layer; null when a layer is used more than once (no plan then). */
function layerGraph(model: tf.LayersModel): { inbound: Map<string, [string, number][]>; consumers: Map<string, string[]> } | null {
  const inbound = new Map<string, [string, number][]>();
  const consumers = new Map<string, string[]>();
  for (const layer of model.layers as AnyLayer[]) {
    if (layer.inboundNodes.length !== 1) return null;
    const node = layer.inboundNodes[0];
    const ins: [string, number][] = node.inboundLayers.map((l: AnyLayer, i: number) => [l.name, node.tensorIndices[i]]);
    inbound.set(layer.name, ins);
    for (const [src] of ins) consumers.set(src, [...(consumers.get(src) ?? []), layer.name]);
  }
  for (const l of model.outputLayers) consumers.set(l.name, [...(consumers.get(l.name) ?? []), '<output>']);
  return { inbound, consumers };
}

const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[v.length > 1 ? 1 : 0]] : [v, v]);

/** A fusable convolution: 2-D, channels last, no dilation, activation linear / relu / relu6. */
function isFusableConv(layer: AnyLayer): boolean {
  const c = layer.getClassName();
  if (c !== 'Conv2D' && c !== 'DepthwiseConv2D') return false;
  const cfg = cfgOf(layer);
  return (cfg.dataFormat ?? 'channelsLast') === 'channelsLast' && pair(cfg.dilationRate ?? 1).every((d) => d === 1) && ACTS.has(activationName(layer));
}

/** The activation of an Activation / ReLU layer that a fused op can take, else null. */
function fusableActivation(layer: AnyLayer | undefined): 'relu' | 'relu6' | null {
  if (!layer) return null;
  if (layer.getClassName() === 'Activation') {
    const a = activationName(layer);
    return a === 'relu' || a === 'relu6' ? a : null;
  }
  if (layer.getClassName() === 'ReLU') {
    const m = cfgOf(layer).maxValue;
    return m == null ? 'relu' : m === 6 ? 'relu6' : null;
  }
  return null;
}

/** ZeroPadding2D `pad` before `conv` when it pads exactly as TF 'same' would (so the convolution can pad itself). */
function padIsSame(pad: AnyLayer, conv: AnyLayer): boolean {
  const cfg = cfgOf(conv);
  if (cfg.padding !== 'valid') return false;
  const p = cfgOf(pad).padding as [[number, number], [number, number]];
  const out = pad.outputShape as (number | null)[]; // [batch, h + top + bottom, w + left + right, c]
  if (!Array.isArray(p?.[0]) || out.length !== 4 || out[1] == null || out[2] == null) return false;
  const h = out[1] - p[0][0] - p[0][1], w = out[2] - p[1][0] - p[1][1];
  const k = pair(cfg.kernelSize), s = pair(cfg.strides);
  const [t, b] = samePad(h, k[0], s[0]), [l, r] = samePad(w, k[1], s[1]);
  return p[0][0] === t && p[0][1] === b && p[1][0] === l && p[1][1] === r;
}

/**
 * The fused op for convolution `conv` with optional BatchNorm `bn` folded in and activation `act`; the filter and
 * bias it makes are pushed to `kept` (disposed with the plan).
 */
function fusedConvOp(conv: AnyLayer, bn: AnyLayer | undefined, act: string, pad: 'same' | 'valid', kept: tf.Tensor[]): (xs: tf.Tensor[]) => tf.Tensor {
  const cfg = cfgOf(conv);
  const depthwise = conv.getClassName() === 'DepthwiseConv2D';
  const { filter, bias } = tf.tidy(() => {
    let w = weightByName(conv, depthwise ? 'depthwise_kernel' : 'kernel')!; // [kh, kw, in, out] or [kh, kw, in, mult]
    const outChannels = depthwise ? w.shape[2]! * w.shape[3]! : w.shape[3]!;
    let b: tf.Tensor = (cfg.useBias ? weightByName(conv, 'bias') : null) ?? tf.zeros([outChannels]);
    if (bn) {
      const { scale, shift } = bnScaleShift(bn);
      w = tf.mul(w, depthwise ? tf.reshape(scale, [w.shape[2]!, w.shape[3]!]) : scale);
      b = tf.add(tf.mul(b, scale), shift);
    }
    return { filter: tf.keep(w.clone()) as tf.Tensor4D, bias: tf.keep(b.clone()) as tf.Tensor1D };
  });
  kept.push(filter, bias);
  const strides = pair(cfg.strides);
  const activation = act as 'linear' | 'relu' | 'relu6';
  return depthwise
    ? (xs) => tf.fused.depthwiseConv2d({ x: xs[0] as tf.Tensor4D, filter, bias, strides, pad, dataFormat: 'NHWC', activation })
    : (xs) => tf.fused.conv2d({ x: xs[0] as tf.Tensor4D, filter, bias, strides, pad, dataFormat: 'NHWC', activation });
}

/** Runs the model as it is (no layer fused): for models the plan does not cover. */
function plainModel(model: tf.LayersModel): FusedModel {
  return { predict: (x) => model.predict(x) as tf.Tensor, fused: 0, plain: model.layers.length, dispose: () => undefined };
}

/**
 * The fused plan of `model` (see the module comment). Models with one input and one output whose layers are each
 * used once get a plan; any other model runs as it is (fused = 0). The plan reads the model's weights once: build it
 * after the weights are loaded and do not train the model afterwards.
 */
export function fuseModel(model: tf.LayersModel): FusedModel {
  const g = layerGraph(model);
  if (!g || model.inputs.length !== 1 || model.outputs.length !== 1) return plainModel(model);
  const byName = new Map((model.layers as AnyLayer[]).map((l) => [l.name, l]));
  const only = (name: string): AnyLayer | undefined => {
    const c = g.consumers.get(name) ?? [];
    return c.length === 1 ? byName.get(c[0]) : undefined;
  };
  // Pass 1: the chains [pad?] conv [bn] [act], and the layers they absorb.
  const chains = new Map<string, { pad?: AnyLayer; bn?: AnyLayer; act: string; last: AnyLayer }>();
  const absorbed = new Set<string>();
  for (const conv of model.layers as AnyLayer[]) {
    if (!isFusableConv(conv)) continue;
    const [src] = g.inbound.get(conv.name) ?? [];
    const prev = src && byName.get(src[0]);
    const pad = prev && prev.getClassName() === 'ZeroPadding2D' && only(prev.name) === conv && padIsSame(prev, conv) ? prev : undefined;
    let act = activationName(conv), last = conv, bn: AnyLayer | undefined;
    const next = only(conv.name);
    if (act === 'linear' && next?.getClassName() === 'BatchNormalization' && [-1, 3].includes(Number([cfgOf(next).axis].flat()[0]))) {
      bn = last = next;
      const a = fusableActivation(only(next.name));
      if (a) {
        last = only(next.name)!;
        act = a;
      }
    }
    chains.set(conv.name, { pad, bn, act, last });
    for (const l of [pad, bn, last]) if (l && l !== conv) absorbed.add(l.name);
  }
  // Pass 2: steps in the model's (topological) order.
  const kept: tf.Tensor[] = [];
  const steps: Step[] = [];
  for (const layer of model.layers as AnyLayer[]) {
    if (absorbed.has(layer.name) || layer.getClassName() === 'InputLayer') continue;
    const chain = chains.get(layer.name);
    if (chain) {
      const pad = chain.pad ? 'same' : (cfgOf(layer).padding as 'same' | 'valid');
      steps.push({ layer, inputs: g.inbound.get((chain.pad ?? layer).name)!, output: chain.last.name, run: fusedConvOp(layer, chain.bn, chain.act, pad, kept) });
    } else {
      steps.push({ layer, inputs: g.inbound.get(layer.name)!, output: layer.name, run: (xs) => layer.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor | tf.Tensor[] });
    }
  }
  const inputName = model.inputLayers[0].name;
  const outName = model.outputLayers[0].name;
  const outIndex = (model as AnyLayer).outputLayersTensorIndices?.[0] ?? 0;
  return {
    fused: chains.size,
    plain: steps.length - chains.size,
    predict: (x) =>
      tf.tidy(() => {
        const values = new Map<string, tf.Tensor[]>([[inputName, [x]]]);
        for (const s of steps) {
          const out = s.run(s.inputs.map(([n, i]) => values.get(n)![i]));
          values.set(s.output, Array.isArray(out) ? out : [out]);
        }
        return values.get(outName)![outIndex];
      }),
    dispose: () => tf.dispose(kept),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */
