/**
 * Slice for the wasm backend (the gradient of PadV2, i.e. of every ZeroPadding2D, is a Slice of dy). The stock kernel
 * first copies the whole input out of the heap (readSync) and then copies one innermost row per call; here the
 * input is read in place and each copy is the longest contiguous run: the sliced axis and every full axis after it.
 * Strings and other dtypes than float32/int32 use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { stockKernel, WasmBackendLike } from './wasm_ops';

export function slice(args: { inputs: { x: tf.TensorInfo }; backend: WasmBackendLike; attrs: { begin: number | number[]; size: number | number[] } }): tf.TensorInfo {
  const { inputs: { x }, backend } = args;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return stockKernel('Slice')(args as never) as tf.TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, args.attrs.begin, args.attrs.size);
  const rank = x.shape.length;
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  // Innermost axis that is cut: the run covers it and every (full) axis after it.
  let a = rank - 1;
  while (a > 0 && begin[a] === 0 && size[a] === x.shape[a]) a--;
  const inner = x.shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const run = size[a] * inner;
  const strides = tf.util.computeStrides(x.shape);
  const idx = begin.slice(0, a); // odometer over the outer axes
  const outer = size.slice(0, a).reduce((p, d) => p * d, 1);
  for (let o = 0, w = 0; o < outer; o++, w += run) {
    let off = begin[a] * inner;
    for (let i = 0; i < a; i++) off += idx[i] * strides[i];
    os.set(xs.subarray(off, off + run), w);
    for (let i = a - 1; i >= 0; i--) {
      if (++idx[i] < begin[i] + size[i]) break;
      idx[i] = begin[i];
    }
  }
  return out;
}
