/**
 * Convolution gradient kernels for tfjs-backend-wasm (NHWC), composed from wasm's XNNPACK-backed kernels
 * (Conv2D, DepthwiseConv2dNative, BatchMatMul) plus cheap layout ops, as measured fastest in
 * shared/reference/wasm-training-notes.md:
 *  - Conv2DBackpropFilter: 1x1/stride 1 is one matmul (csrc matmul_tn reads x and dy in place and sums in XNNPACK's
 *    order: no transpose, no packing of a new operand per step, the same bits); otherwise swapping batch and channel axes turns it into a
 *    single stride-1 convolution of x with dy whose dilation is the forward stride.
 *  - Conv2DBackpropInput (stock wasm is a scalar loop): 1x1/stride 1 is one matmul; otherwise a stride-1
 *    convolution of zero-stuffed dy with the flipped, in/out-swapped filter.
 *  - DepthwiseConv2dNativeBackpropInput: a stride-1 depthwise convolution of zero-stuffed dy with the flipped
 *    filter, then a sum over the channel multiplier.
 * DepthwiseConv2dNativeBackpropFilter is a direct loop (depthwise_filter_grad.ts). Strided Conv2D gradients use
 * im2col / col2im instead (see im2colPlan).
 */
import * as tf from '@tensorflow/tfjs';
import { composed, Scope, WasmBackendLike } from './wasm_ops';
import { nativeKernels, type Native } from './native';

/** im2col buffers above this many floats (1 GiB) fall back to the compositions below. */
const MAX_COLS = 1 << 28;

/**
 * Strided convolutions (stride > 1) go through im2col / col2im (csrc): the compositions below would zero-stuff dy
 * (three quarters zeros at stride 2) or convolve with few output channels (conv1: 3), which XNNPACK does slowly.
 * dx = col2im(dy [M, Co] x W^T [Co, K]);  dW = im2col(x)^T [K, M] x dy [M, Co]   (K = kh*kw*Ci, M = N*Ho*Wo)
 * Returns null when the case is not strided, the buffer would be too big, or the native module is missing.
 */
function im2colPlan(backend: WasmBackendLike, info: tf.backend_util.Conv2DInfo) {
  const { batchSize: n, outHeight: ho, outWidth: wo, inChannels: ci, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const nat = nativeKernels(backend as unknown as { wasm: unknown });
  const m = n * ho * wo;
  const k = kh * kw * ci;
  if ((sh === 1 && sw === 1) || info.dilationHeight !== 1 || info.dilationWidth !== 1 || m * k > MAX_COLS || !nat) return null;
  return { nat, m, k };
}

/**
 * out [ca, cb] = a [m, ca]^T b [m, cb] by csrc matmul_tn (wasm heap offsets), split across threads by rows of out in
 * few, wide ranges: every range reads all of b once.
 */
function matmulTn(nat: Native, a: number, b: number, m: number, ca: number, cb: number, out: number): void {
  const align = Math.max(4, Math.ceil(ca / (2 * nat.threads()) / 4) * 4);
  nat.split('matmul_tn', ca, align, m * cb, (c0, c1) => [a, b, m, ca, cb, c0, c1, out]);
}

function conv2DBackpropInputIm2col(backend: WasmBackendLike, dy: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const plan = im2colPlan(backend, info);
  if (!plan) return null;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  return composed(backend, (s) => {
    const wt = s.transpose(s.reshape(filter, [plan.k, co]), [1, 0]); // [Co, K]
    const cols = s.matMul(s.reshape(dy, [plan.m, co]), wt); // [M, K]
    const dx = s.output([n, h, w, ci]);
    const [co2, dxo] = [s.offset(cols), s.offset(dx)];
    plan.nat.split('col2im', n, 1, h * w * ci * kh * kw, (b0, b1) => [co2, b0, b1, h, w, ci, ho, wo, kh, kw, sh, sw, 1, 1, info.padInfo.top, info.padInfo.left, dxo]);
    return dx;
  });
}

function conv2DBackpropFilterIm2col(backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | null {
  const plan = im2colPlan(backend, info);
  if (!plan) return null;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  if (pointwiseNative) {
    // cols [M, K] by rows, then cols^T dy in place (matmul_tn): the same values summed in the same order as below.
    return composed(backend, (s) => {
      const cols = s.output([plan.m, plan.k]);
      const out = s.output([kh, kw, ci, co]);
      const [xo, clo, dyo, oo] = [s.offset(x), s.offset(cols), s.offset(dy), s.offset(out)];
      plan.nat.split('im2col_rows', n, 1, ho * wo * plan.k, (b0, b1) => [xo, b0, b1, h, w, ci, ho, wo, kh, kw, sh, sw, 1, 1, info.padInfo.top, info.padInfo.left, clo]);
      matmulTn(plan.nat, clo, dyo, plan.m, plan.k, co, oo);
      return out;
    });
  }
  return composed(backend, (s) => {
    const colsT = s.output([plan.k, plan.m]);
    const [xo, cto] = [s.offset(x), s.offset(colsT)];
    plan.nat.split('im2col_t', n, 1, ho * wo * kh * kw * ci, (b0, b1) => [xo, n, b0, b1, h, w, ci, ho, wo, kh, kw, sh, sw, 1, 1, info.padInfo.top, info.padInfo.left, cto]);
    return s.reshape(s.matMul(colsT, s.reshape(dy, [plan.m, co])), [kh, kw, ci, co]);
  });
}

/**
 * Whether 1x1 stride-1 filter gradients use csrc's matmul_tn (default) or the transpose + XNNPACK matmul composition
 * it replaced, and strided ones im2col_rows + matmul_tn or im2col_t + XNNPACK matmul. Both give the same bits
 * (test/backend/filter_grad_exact.test.ts); FER_POINTWISE_FILTER_GRAD=xnnpack selects the compositions.
 */
let pointwiseNative = process.env.FER_POINTWISE_FILTER_GRAD !== 'xnnpack';
/** Sets which path 1x1 filter gradients take (true: matmul_tn); returns the previous setting. */
export function setPointwiseFilterGradNative(on: boolean): boolean {
  const prev = pointwiseNative;
  pointwiseNative = on;
  return prev;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Round = 'floor' | 'round' | 'ceil' | undefined;

function assertNhwc(kernel: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat NHWC only, got ${String(dataFormat)}`);
  }
}

/**
 * Zero-stuffs `dy` [N, Ho, Wo, C] for strides (sh, sw): [N, Ho*sh, Wo*sw, C] with dy[n,p,q] at (p*sh, q*sw).
 * Done as two rank-3 pads on reshaped views (no strided writes).
 */
function zeroStuff(s: Scope, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [n, ho, wo, c] = dy.shape;
  let t = dy;
  if (sh > 1) {
    t = s.reshape(t, [n * ho, 1, wo * c]);
    t = s.pad(t, [[0, 0], [0, sh - 1], [0, 0]]);
  }
  if (sw > 1) {
    t = s.reshape(t, [n * ho * sh * wo, 1, c]);
    t = s.pad(t, [[0, 0], [0, sw - 1], [0, 0]]);
  }
  return s.reshape(t, [n, ho * sh, wo * sw, c]);
}

/** Padding [[before, after] of H, of W] of zero-stuffed dy that makes a stride-1 'valid' correlation give [inH, inW]. */
function transposedPadding(info: tf.backend_util.Conv2DInfo): [[number, number], [number, number]] {
  const { strideHeight: sh, strideWidth: sw, inHeight, inWidth, outHeight, outWidth, effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const beforeH = kh - 1 - top;
  const beforeW = kw - 1 - left;
  return [[beforeH, inHeight + kh - 1 - beforeH - outHeight * sh], [beforeW, inWidth + kw - 1 - beforeW - outWidth * sw]];
}

/**
 * Prepares dy for a transposed convolution expressed as a stride-1 'valid' correlation producing [inH, inW]:
 * zero-stuffs for the stride, then pads/crops so that a kernel of effective size kEff yields exactly inH x inW.
 */
function stuffAndPad(s: Scope, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const [[beforeH, afterH], [beforeW, afterW]] = transposedPadding(info);
  return s.padOrCrop(zeroStuff(s, dy, info.strideHeight, info.strideWidth), [[0, 0], [beforeH, afterH], [beforeW, afterW], [0, 0]]);
}

/**
 * Stride 1 with no cropping: the padding of stuffAndPad as the correlation's own explicit padding (XNNPACK pads
 * internally; stock PadV2 copies dy on one thread), as the `pad` attribute of Conv2D / DepthwiseConv2dNative; null
 * otherwise.
 */
function ownPadding(info: tf.backend_util.Conv2DInfo): [number, number][] | null {
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const [h, w] = transposedPadding(info);
  if ([...h, ...w].some((p) => p < 0)) return null;
  return [[0, 0], h, w, [0, 0]];
}

/** dW = conv2d gradient w.r.t. the filter; inputs {x, dy}; attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}. */
export function conv2DBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { strides: number | [number, number]; pad: Pad; dataFormat?: string; dimRoundingMode?: Round; filterShape: [number, number, number, number] };
}): tf.TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  assertNhwc('Conv2DBackpropFilter', attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const viaCols = conv2DBackpropFilterIm2col(backend, x, dy, info);
  if (viaCols) return viaCols;
  return composed(backend, (s) => {
    if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && top === 0 && left === 0 && ho === h && wo === w) {
      const m = n * h * w;
      const nat = pointwiseNative ? nativeKernels(backend as unknown as { wasm: unknown }) : null;
      if (nat) {
        // [M, Ci]^T [M, Co] read in place (csrc matmul_tn): the same sums in the same order as the composition below.
        const out = s.output([1, 1, ci, co]);
        const [xo, dyo, oo] = [s.offset(x), s.offset(dy), s.offset(out)];
        matmulTn(nat, xo, dyo, m, ci, co, oo);
        return out;
      }
      // [M, Ci]^T [M, Co]; transpose the thinner operand explicitly (XNNPACK path needs untransposed operands).
      const x2 = s.reshape(x, [m, ci]);
      const dy2 = s.reshape(dy, [m, co]);
      if (ci <= co) return s.reshape(s.matMul(s.transpose(x2, [1, 0]), dy2), [1, 1, ci, co]);
      const r = s.matMul(s.transpose(dy2, [1, 0]), x2); // [Co, Ci]
      return s.reshape(s.transpose(r, [1, 0]), [1, 1, ci, co]);
    }
    // out[c, i, j, o] = sum_{p,q,n} xT[c, i + p*sh - top, j + q*sw - left, n] * dyT[p, q, n, o]
    const xT = s.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]
    const dyT = s.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]: a filter of size Ho x Wo
    const bottom = kh + (ho - 1) * sh - h - top;
    const right = kw + (wo - 1) * sw - w - left;
    // Negative amounts crop rows/columns the forward pass never read; the rest is explicit zero padding.
    const xc = s.padOrCrop(xT, [[0, 0], [Math.min(0, top), Math.min(0, bottom)], [Math.min(0, left), Math.min(0, right)], [0, 0]]);
    const r = s.run('Conv2D', { x: xc, filter: dyT }, {
      strides: [1, 1], dilations: [sh, sw], dataFormat: 'NHWC', dimRoundingMode: undefined,
      pad: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]],
    }); // [Ci, kh, kw, Co]
    return s.transpose(r, [1, 2, 0, 3]);
  });
}

/** dx = conv2d gradient w.r.t. the input; inputs {dy, filter}; attrs {inputShape, strides, pad, dataFormat, dimRoundingMode}. */
export function conv2DBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { inputShape: [number, number, number, number]; strides: number | [number, number]; pad: Pad; dataFormat?: string; dimRoundingMode?: Round };
}): tf.TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  assertNhwc('Conv2DBackpropInput', attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const viaCols = conv2DBackpropInputIm2col(backend, dy, filter, info);
  if (viaCols) return viaCols;
  return composed(backend, (s) => {
    if (kh === 1 && kw === 1 && sh === 1 && sw === 1 && info.padInfo.top === 0 && info.padInfo.left === 0 && ho === h && wo === w) {
      const wt = s.transpose(s.reshape(filter, [ci, co]), [1, 0]); // [Co, Ci]
      return s.reshape(s.matMul(s.reshape(dy, [n * h * w, co]), wt), [n, h, w, ci]);
    }
    const own = ownPadding(info);
    const dyP = own ? dy : stuffAndPad(s, dy, info);
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const wf = s.transpose(flipped, [0, 1, 3, 2]); // [kh, kw, Co, Ci]
    return s.run('Conv2D', { x: dyP, filter: wf }, { strides: [1, 1], dilations: [1, 1], pad: own ?? 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined });
  });
}

/** dx = depthwise conv gradient w.r.t. the input; inputs {dy, filter}; attrs {strides, dilations, pad, dimRoundingMode, inputShape}. */
export function depthwiseConv2dNativeBackpropInput(args: {
  inputs: { dy: tf.TensorInfo; filter: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { strides: number | [number, number]; dilations: number | [number, number]; pad: Pad; dimRoundingMode?: Round; inputShape: [number, number, number, number] };
}): tf.TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
  const [kh, kw, c, mult] = filter.shape;
  const { batchSize: n, inHeight: h, inWidth: w, dilationHeight: dh, dilationWidth: dw } = info;
  return composed(backend, (s) => {
    const own = ownPadding(info);
    const dyP = own ? dy : stuffAndPad(s, dy, info); // [N, H + kEff - 1, W + kEff - 1, C*M] once padded
    const flipped = s.reshape(s.run('Reverse', { x: filter }, { dims: [0, 1] }), [kh, kw, c * mult, 1]);
    const r = s.run('DepthwiseConv2dNative', { x: dyP, filter: flipped }, {
      strides: [1, 1], dilations: [dh, dw], pad: own ?? 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined,
    }); // [N, H, W, C*M]
    if (mult === 1) return r;
    return s.run('Sum', { x: s.reshape(r, [n, h, w, c, mult]) }, { axis: [4], keepDims: false });
  });
}
