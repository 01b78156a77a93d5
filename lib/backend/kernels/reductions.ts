/**
 * Sum and Mean over leading axes for the wasm backend. BatchNorm's statistics and gradients reduce N, H, W of NHWC
 * (tf.moments, the broadcast side of a Sub gradient); stock wasm transposes the whole tensor so the reduced axes come
 * last and then reduces rows. A reduction over axes [0, k) of a contiguous tensor is a column sum of a
 * [rows, cols] view: one read, in double (csrc row_sums over row chunks, row_partials.ts). Other axes, dtypes, or a backend without the native module
 * use the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { NATIVE_OPS } from './native_ops';
import { nativeKernels } from './native';
import { stockKernel, WasmBackendLike } from './wasm_ops';

type Args = { inputs: { x: tf.TensorInfo }; backend: WasmBackendLike; attrs: { axis: number | number[]; keepDims: boolean } };

/** Rows of the [rows, cols] view when `axis` is exactly the leading axes [0, k) with 0 < k < rank; else null. */
export function leadingAxesRows(shape: number[], axis: number | number[] | null | undefined): number | null {
  if (shape.length < 2 || axis === null || axis === undefined) return null;
  const axes = tf.util.parseAxisParam(axis, shape).slice().sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length || axes.some((a, i) => a !== i)) return null;
  return axes.reduce((r, a) => r * shape[a], 1);
}

function reduce(name: 'Sum' | 'Mean') {
  return (args: Args): tf.TensorInfo => {
    const { x } = args.inputs;
    const rows = leadingAxesRows(x.shape, args.attrs.axis);
    if (rows === null || rows === 0 || x.dtype !== 'float32' || !nativeKernels(args.backend)) {
      return stockKernel(name)(args as never) as tf.TensorInfo;
    }
    const k = tf.util.parseAxisParam(args.attrs.axis, x.shape).length;
    const rest = x.shape.slice(k);
    const shape = args.attrs.keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
    return NATIVE_OPS.FerColSums({ inputs: { x }, backend: args.backend, attrs: { rows, scale: name === 'Mean' ? 1 / rows : 1, shape } }) as tf.TensorInfo;
  };
}

export const sum = reduce('Sum');
export const mean = reduce('Mean');
