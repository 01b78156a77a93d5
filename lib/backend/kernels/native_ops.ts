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
import { rowPartialSums } from './row_partials';

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

/** out = f(x, dy) element by element with export `name` (x, dy, n, ...extra, out), split by element ranges. */
function elementwise(name: 'relu_grad' | 'clip_grad' | 'square_grad', extra: (attrs: Record<string, unknown>) => number[] = () => []) {
  return (args: Args): tf.TensorInfo => {
    const { b, nat, off } = ctx(args);
    const { x, dy } = args.inputs;
    const out = b.makeOutput(x.shape, 'float32');
    const [xo, dyo, oo] = [off(x), off(dy), off(out)];
    const more = extra(args.attrs);
    nat.split(name, size(x.shape), 4, 1, (i0, i1) => [xo + 4 * i0, dyo + 4 * i0, i1 - i0, ...more, oo + 4 * i0]);
    return out;
  };
}

function colSums(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { x } = args.inputs;
  const rows = args.attrs.rows as number;
  const cols = size(x.shape) / rows;
  const out = b.makeOutput((args.attrs.shape as number[] | undefined) ?? [cols], 'float32');
  const [xo, oo] = [off(x), off(out)];
  const sums = rowPartialSums(nat, 'row_sums', rows, cols, cols, (r0, r1, acc) => [xo + 4 * r0 * cols, r1 - r0, cols, acc]);
  const scale = Math.fround(args.attrs.scale as number); // a float argument, as csrc's kernels take it
  new Float32Array(nat.memory.buffer, oo, cols).set(sums.map((v) => v * scale));
  return out;
}

function fillRows(args: Args): tf.TensorInfo {
  const { b, nat, off } = ctx(args);
  const { v } = args.inputs;
  const shape = args.attrs.shape as number[];
  const out = b.makeOutput(shape, 'float32');
  const c = size(v.shape);
  const [vo, oo] = [off(v), off(out)];
  nat.split('fill_rows', size(shape) / c, 1, c, (r0, r1) => [vo, r1 - r0, c, args.attrs.div as number, oo + 4 * r0 * c]);
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
    const [xo, oo, so] = [off(x), off(out), off(s)];
    nat.split('bn_apply', size(x.shape) / c, 1, c, (r0, r1) => [xo + 4 * r0 * c, oo + 4 * r0 * c, r1 - r0, c, so, shift, 0]);
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
  // bn_grad_sums with act 0 (linear; z is not read for the mask): sums of dy and dy * (x - mean), by row chunks.
  const [xo, dyo, mo, n] = [off(x), off(dy), off(mean), size(x.shape) / c];
  const sums = rowPartialSums(nat, 'bn_grad_sums', n, c, 2 * cp, (r0, r1, acc) => {
    const o = 4 * r0 * c;
    return [xo + o, xo + o, dyo + o, mo, r1 - r0, c, 0, c, 0, acc];
  });
  const o = new Float32Array(nat.memory.buffer, off(out), 2 * c);
  for (let k = 0; k < c; k++) {
    o[k] = sums[k];
    o[c + k] = sums[cp + k];
  }
  return out;
}

function adamUpdate(args: Args): tf.TensorInfo[] {
  const { b, nat, off } = ctx(args);
  const { x, m, v, g } = args.inputs;
  const a = args.attrs as Record<string, number>;
  const [xo, mo, vo] = [0, 1, 2].map(() => b.makeOutput(x.shape, 'float32'));
  const p = [x, m, v, g, xo, mo, vo].map(off);
  nat.split('adam_update', size(x.shape), 4, 4, (i0, i1) => {
    const [px, pm, pv, pg, pxo, pmo, pvo] = p.map((o) => o + 4 * i0);
    return [px, pm, pv, pg, i1 - i0, a.b1, a.omb1, a.b2, a.omb2, a.c1, a.c2, a.eps, a.neglr, pxo, pmo, pvo];
  });
  return [xo, mo, vo];
}

export const NATIVE_OPS: Record<string, (args: Args) => tf.TensorInfo | tf.TensorInfo[]> = {
  FerReluGrad: elementwise('relu_grad'),
  FerClipGrad: elementwise('clip_grad', (attrs) => [attrs.lo as number, attrs.hi as number]),
  FerSquareGrad: elementwise('square_grad'),
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
