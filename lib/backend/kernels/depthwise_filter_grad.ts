/**
 * DepthwiseConv2dNativeBackpropFilter for tfjs-backend-wasm (NHWC): a direct loop over the wasm heap.
 * df[i, j, c, m] = sum_{n,p,q} x[n, p*sh + i*dh - top, q*sw + j*dw - left, c] * dy[n, p, q, c*M + m].
 * The notes measured a depthwise convolution with a huge kernel (the composition) as slow, XNNPACK not being built
 * for that; a single pass reading x and dy once, accumulating in float64 (as the cpu backend does), is simpler.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasm_ops';
import { nativeKernels } from './native';
import { rowChunkBounds, rowPartialSums } from './row_partials';

export function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: {
    strides: number | [number, number]; dilations: number | [number, number];
    pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
}): tf.TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true, 'channelsLast');
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo, outChannels: cm } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  const mult = cm / c;
  const out = backend.makeOutput([kh, kw, c, mult], 'float32');
  const nat = mult === 1 ? nativeKernels(backend as unknown as { wasm: unknown }) : null;
  if (nat) {
    // csrc/kernels.c: SIMD over channels, float per output row then double; batch chunks on every thread, each
    // with its own row scratch and accumulator, added in chunk order (row_partials.ts).
    const cp = (c + 3) & ~3;
    const taps = kh * kw;
    const rowBytes = (4 * taps * c + 63) & ~63;
    const row = nat.malloc(rowBytes * rowChunkBounds(n, ho * wo * taps * c).length);
    const at = (t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    try {
      const [xo, dyo] = [at(x), at(dy)];
      const sums = rowPartialSums(nat, 'dw_filter_grad', n, ho * wo * taps * c, taps * cp, (b0, b1, acc, j) =>
        [xo + 4 * b0 * h * w * c, dyo + 4 * b0 * ho * wo * c, b1 - b0, h, w, c, 0, c, ho, wo, kh, kw, sh, sw, dh, dw, top, left, row + rowBytes * j, acc]);
      const o = backend.typedArrayFromHeap(out) as Float32Array;
      for (let tp = 0; tp < taps; tp++) for (let k = 0; k < c; k++) o[tp * c + k] = sums[tp * cp + k];
    } finally {
      nat.free(row);
    }
    return out;
  }
  // Views taken after makeOutput: allocating may grow (and replace) the heap buffer.
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  const acc = new Float64Array(kh * kw * cm);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < ho; p++) {
      for (let q = 0; q < wo; q++) {
        const dyOff = ((b * ho + p) * wo + q) * cm;
        for (let i = 0; i < kh; i++) {
          const r = p * sh + i * dh - top;
          if (r < 0 || r >= h) continue;
          for (let j = 0; j < kw; j++) {
            const col = q * sw + j * dw - left;
            if (col < 0 || col >= w) continue;
            const xOff = ((b * h + r) * w + col) * c;
            const aOff = (i * kw + j) * cm;
            if (mult === 1) {
              for (let k = 0; k < c; k++) acc[aOff + k] += xv[xOff + k] * dyv[dyOff + k];
            } else {
              for (let k = 0; k < c; k++) {
                const xk = xv[xOff + k];
                const base = k * mult;
                for (let m = 0; m < mult; m++) acc[aOff + base + m] += xk * dyv[dyOff + base + m];
              }
            }
          }
        }
      }
    }
  }
  (backend.typedArrayFromHeap(out) as Float32Array).set(acc);
  return out;
}
