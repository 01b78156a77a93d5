/**
 * Kernels for the wasm backend that run one csrc/kernels.c loop each, in place on the heap: the element-wise
 * gradients of stock ops (stock_grads.ts composes them), column reductions, and Adam's update (adam.ts). Each replaces
 * a chain of 2-5 generic kernels with one pass over memory. They exist only when the native module loads
 * (`nativeReady`); callers fall back to the stock path otherwise.
 *
 *   FerReluGrad {x, dy} -> x > 0 ? dy : 0                 FerClipGrad {x, dy} {lo, hi} -> lo <= x <= hi ? dy : 0
 *   FerSquareGrad {x, dy} -> dy * (x * 2)                  FerColSums {x} {rows, scale, shape?} -> [cols]: scale * sum over rows
 *   FerFillRows {v} {shape, div} -> shape, every row v/div FerScaleRows {x, s} -> x * s per channel (last axis)
 *   FerBnSums {x, dy, mean} -> [2, C]: sum dy, sum dy * (x - mean) over every axis but the last
 *   FerAdamUpdate {x, m, v, g} {b1, omb1, b2, omb2, c1, c2, eps, neglr} -> [x', m', v']
 */
import * as tf from '@tensorflow/tfjs';
import { Native, nativeKernels } from './native';

type Args = { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> };
interface Wasm {
  wasm: unknown;
  dataIdMap: { get(id: object): { memoryOffset: number } };
  makeOutput(s: number[], d: string): tf.TensorInfo;
  disposeData(id: object): void;
}

const size = (shape: number[]): number => shape.reduce((a, v) => a * v, 1);

/** The backend, its native module (asserted: kernels are only registered when it loads), and tensor offsets. */
function ctx(args: Args): { b: Wasm; nat: Native; off: (t: tf.TensorInfo) => number } {
  const b = args.backend as Wasm;
  const nat = nativeKernels(b);
  if (!nat) throw new Error('fer-au native kernels are not loaded (csrc/kernels.wasm)');
  return { b, nat, off: (t) => b.dataIdMap.get(t.dataId).memoryOffset };
}

function elementwise(fn: (nat: Native, x: number, dy: number, n: number, out: number, attrs: Record<string, unknown>) => void) {
  return (args: Args): tf.TensorInfo => {
    const { b, nat, off } = ctx(args);
    const { x, dy } = args.inputs;
    const out = b.makeOutput(x.shape, 'float32');
    fn(nat, off(x), off(dy), size(x.shape), off(out), args.attrs);
    return out;
  };
}

function colSums(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { x } = args.inputs;
  const rows = args.attrs.rows as number;
  const cols = size(x.shape) / rows;
  const out = b.makeOutput((args.attrs.shape as number[] | undefined) ?? [cols], 'float32');
  const acc = nat.malloc(8 * (cols + 4));
  try {
    nat.fn.col_sums(off(x), rows, cols, acc, off(out), args.attrs.scale as number);
  } finally {
    nat.free(acc);
  }
  return out;
}

function fillRows(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { v } = args.inputs;
  const shape = args.attrs.shape as number[];
  const out = b.makeOutput(shape, 'float32');
  const c = size(v.shape);
  nat.fn.fill_rows(off(v), size(shape) / c, c, args.attrs.div as number, off(out));
  return out;
}

function scaleRows(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { x, s } = args.inputs;
  const c = x.shape[x.shape.length - 1];
  const out = b.makeOutput(x.shape, 'float32');
  const shift = nat.malloc(4 * c);
  try {
    new Float32Array(nat.memory.buffer, shift, c).fill(0);
    nat.fn.bn_apply(off(x), off(out), size(x.shape) / c, c, off(s), shift, 0);
  } finally {
    nat.free(shift);
  }
  return out;
}

function bnSums(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { x, dy, mean } = args.inputs;
  const c = x.shape[x.shape.length - 1];
  const cp = (c + 3) & ~3;
  const out = b.makeOutput([2, c], 'float32');
  const acc = nat.malloc(16 * (c + 4));
  try {
    // bn_grad_sums with act 0 (linear; z is not read for the mask): sums of dy and dy * (x - mean).
    nat.fn.bn_grad_sums(off(x), off(x), off(dy), off(mean), size(x.shape) / c, c, 0, acc);
    const sums = new Float64Array(nat.memory.buffer, acc, 2 * cp);
    const o = new Float32Array(nat.memory.buffer, off(out), 2 * c);
    for (let k = 0; k < c; k++) {
      o[k] = sums[k];
      o[c + k] = sums[cp + k];
    }
  } finally {
    nat.free(acc);
  }
  return out;
}

function adamUpdate(args: Args): tf.TensorInfo[] {
  const { b, nat, off } = ctx(args);
  const { x, m, v, g } = args.inputs;
  const a = args.attrs as Record<string, number>;
  const [xo, mo, vo] = [0, 1, 2].map(() => b.makeOutput(x.shape, 'float32'));
  nat.fn.adam_update(off(x), off(m), off(v), off(g), size(x.shape), a.b1, a.omb1, a.b2, a.omb2, a.c1, a.c2, a.eps, a.neglr, off(xo), off(mo), off(vo));
  return [xo, mo, vo];
}

export const NATIVE_OPS: Record<string, (args: Args) => tf.TensorInfo | tf.TensorInfo[]> = {
  FerReluGrad: elementwise((nat, x, dy, n, out) => nat.fn.relu_grad(x, dy, n, out)),
  FerClipGrad: elementwise((nat, x, dy, n, out, attrs) => nat.fn.clip_grad(x, dy, n, attrs.lo as number, attrs.hi as number, out)),
  FerSquareGrad: elementwise((nat, x, dy, n, out) => nat.fn.square_grad(x, dy, n, out)),
  FerColSums: colSums,
  FerFillRows: fillRows,
  FerScaleRows: scaleRows,
  FerBnSums: bnSums,
  FerAdamUpdate: adamUpdate,
};

/** True when the wasm backend is active and this project's native kernels are registered on it. */
export function nativeReady(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel('FerColSums', 'wasm') !== undefined && nativeKernels(tf.backend() as unknown as { wasm: unknown }) !== null;
}
