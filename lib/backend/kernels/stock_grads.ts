/**
 * Gradient overrides for stock tfjs ops on the wasm backend, so that an unchanged tfjs-layers model
 * (BatchNormalization, ReLU(maxValue), anything built on tf.moments / tf.batchNorm) trains without the long chains of
 * generic kernels tfjs-core's gradients are written as:
 *  - FusedBatchNorm (tf.batchNorm): stock = ~12 full-size ops and a slow Tile of rsqrt(variance) to x's shape; here one
 *    reduction pass (sum dy, sum dy * (x - mean)) and one scaling pass, channels last.
 *  - ClipByValue (ReLU6 = relu then clip): stock = GreaterEqual, LessEqual, LogicalAnd, ZerosLike, Select; here one pass.
 *  - Relu: stock = Step, Cast, Multiply; here one pass.  Square: stock = two Multiplies; here one pass.
 *  - Mean over leading axes (tf.moments' two means): stock = Fill(ones), Multiply, RealDiv; here one broadcast pass.
 * The math and the float32 operations are tfjs-core's (test/backend/stock_grads.test.ts checks each against the cpu
 * backend). `registerGradient` is global: every override checks that wasm with the native kernels is active and the
 * case is the one handled, and otherwise runs the stock gradient unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { leadingAxesRows } from './reductions';
import { nativeReady } from './native_ops';

type GradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => Record<string, () => tf.Tensor>;

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}): tf.Tensor =>
  tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;

/** Channels-last FusedBatchNorm with rank-1 statistics (the case tfjs-core's gradient handles): [C] per channel. */
function channelsLast(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined): boolean {
  const c = x.shape[x.rank - 1];
  const perChannel = (t: tf.Tensor | undefined) => t === undefined || (t.rank === 1 && t.size === c);
  return x.rank >= 2 && x.dtype === 'float32' && perChannel(mean) && perChannel(variance) && perChannel(scale);
}

/**
 * tf.batchNorm's gradient (tfjs-core's FusedBatchNorm gradient, same formulas), with S1 = sum dy, S2 = sum dy * (x-mean):
 * dx = dy * rstd * scale, dmean = -rstd * scale * S1, dvariance = -0.5 * rstd^3 * scale * S2, dscale = rstd * S2,
 * doffset = S1. The sums are computed once per node, in the backward pass's scope.
 */
const batchNormGrad = (stock: GradFunc): GradFunc => (dy, saved, attrs) => {
  const [x, mean, variance, scale] = saved;
  if (!nativeReady() || !channelsLast(x, mean, variance, scale ?? undefined)) return stock(dy, saved, attrs);
  const c = x.shape[x.rank - 1];
  const g = dy as tf.Tensor;
  const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  const sums = run('FerBnSums', { x, dy: g, mean });
  const [s1, s2] = tf.unstack(sums);
  const rstd = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
  const gamma = scale == null ? tf.ones([c]) : scale;
  const minusHalfRCube = tf.mul(tf.mul(tf.mul(rstd, rstd), rstd), tf.scalar(-0.5));
  return {
    x: () => run('FerScaleRows', { x: g, s: tf.mul(rstd, gamma) }),
    mean: () => tf.mul(tf.mul(tf.neg(rstd), gamma), s1),
    variance: () => tf.mul(tf.mul(minusHalfRCube, gamma), s2),
    scale: () => tf.mul(rstd, s2),
    offset: () => s1,
  };
};

const elementwiseGrad = (kernel: string, attrsOf: (a: tf.NamedAttrMap) => Record<string, unknown> = () => ({})) => (stock: GradFunc): GradFunc =>
  (dy, saved, attrs) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    if (!nativeReady() || x.dtype !== 'float32' || g.dtype !== 'float32' || !tf.util.arraysEqual(x.shape, g.shape)) return stock(dy, saved, attrs);
    return { x: () => run(kernel, { x, dy: g }, attrsOf(attrs)) };
  };

/** Mean over leading axes: dx[r, :] = dy / rows (tfjs: reshape(dy) * ones(x.shape) / reduceSize). */
const meanGrad = (stock: GradFunc): GradFunc => (dy, saved, attrs) => {
  const [x] = saved;
  const rows = leadingAxesRows(x.shape, (attrs as { axis: number | number[] }).axis);
  if (!nativeReady() || rows === null || rows === 0 || x.dtype !== 'float32') return stock(dy, saved, attrs);
  return { x: () => run('FerFillRows', { v: dy as tf.Tensor }, { shape: x.shape, div: rows }) };
};

const OVERRIDES: Record<string, (stock: GradFunc) => GradFunc> = {
  FusedBatchNorm: batchNormGrad,
  ClipByValue: elementwiseGrad('FerClipGrad', (a) => ({ lo: (a as { clipValueMin: number }).clipValueMin, hi: (a as { clipValueMax: number }).clipValueMax })),
  Relu: elementwiseGrad('FerReluGrad'),
  Square: elementwiseGrad('FerSquareGrad'),
  Mean: meanGrad,
};

let registered = false;

/** Registers the overrides (idempotent); each keeps the stock gradient config's saved inputs and falls back to it. */
export function registerStockGradients(): string[] {
  const names = Object.keys(OVERRIDES);
  if (registered) return names;
  for (const name of names) {
    const stock = tf.getGradient(name);
    if (!stock) throw new Error(`tfjs has no gradient for ${name}`);
    tf.registerGradient({ ...stock, gradFunc: OVERRIDES[name](stock.gradFunc as unknown as GradFunc) as unknown as tf.GradConfig['gradFunc'] });
  }
  registered = true;
  return names;
}

export { OVERRIDES as STOCK_GRADIENT_OVERRIDES };
