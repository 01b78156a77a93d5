/**
 * Fused BatchNorm(training) + activation kernels for the wasm and cpu backends, over a [count, channels] view
 * (channels last). On wasm they run csrc/kernels.c's SIMD loops in place on the heap; elsewhere (cpu, or wasm
 * without the native module) plain JS loops over the backend's own buffers. Float64 accumulators; they replace about fifteen generic kernels per BatchNorm layer, among them wasm's slow
 * reductions over leading axes (Sum/Mean transpose the whole tensor first).
 *
 * FerBatchNormActForward: inputs {x, gamma, beta}, attrs {epsilon, act} -> [z, mean, variance, rstd]
 *   mean, variance (biased) over rows; z = act(gamma * (x - mean) * rstd + beta), rstd = 1 / sqrt(variance + eps)
 * FerBatchNormActGrad: inputs {x, z, dz, mean, rstd, gamma}, attrs {act} -> [dx, dgamma, dbeta]
 *   g = dz * act'(z); dbeta = sum g; dgamma = sum g * xhat; dx = gamma * rstd * (g - dbeta/n - xhat * dgamma/n)
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from './native';
import { rowPartialSums } from './row_partials';

export const BN_ACT_FORWARD = 'FerBatchNormActForward';
export const BN_ACT_GRAD = 'FerBatchNormActGrad';

/** 0 linear, 1 relu, 2 relu6 */
export type ActCode = 0 | 1 | 2;

/** Tensor memory of the wasm or cpu backend, as Float32Array views. */
export interface Storage {
  read(t: tf.TensorInfo): Float32Array;
  /** Allocates an output; `fill` writes its values (wasm: into the heap, after every allocation is done). */
  alloc(shape: number[]): { info: tf.TensorInfo; view: () => Float32Array };
}

/** Storage over `backend`'s own buffers (wasm: its heap; cpu: its typed arrays). */
export function storageFor(backendName: 'wasm' | 'cpu', backend: unknown): Storage {
  if (backendName === 'wasm') {
    const b = backend as { makeOutput(s: number[], d: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array };
    return {
      read: (t) => b.typedArrayFromHeap(t),
      alloc: (shape) => {
        const info = b.makeOutput(shape, 'float32');
        return { info, view: () => b.typedArrayFromHeap(info) };
      },
    };
  }
  const b = backend as { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo };
  return {
    read: (t) => b.data.get(t.dataId).values,
    alloc: (shape) => {
      const values = new Float32Array(shape.reduce((a, v) => a * v, 1));
      const info = b.makeTensorInfo(shape, 'float32', values);
      return { info, view: () => values };
    },
  };
}

type WasmBackend = { wasm: unknown; dataIdMap: { get(id: object): { memoryOffset: number } }; makeOutput(s: number[], d: string): tf.TensorInfo; typedArrayFromHeap(t: tf.TensorInfo): Float32Array };

const off = (b: WasmBackend, t: tf.TensorInfo): number => b.dataIdMap.get(t.dataId).memoryOffset;

/** Forward with csrc/kernels.c (SIMD, in place on the heap); null when the native module is unavailable. */
function forwardNative(args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] | null {
  const b = args.backend as WasmBackend;
  const nat = nativeKernels(b);
  if (!nat) return null;
  const { x, gamma, beta } = args.inputs;
  const eps = args.attrs.epsilon as number;
  const c = x.shape[x.shape.length - 1];
  const n = x.shape.reduce((a, v) => a * v, 1) / c;
  const z = b.makeOutput(x.shape, 'float32');
  const mean = b.makeOutput([c], 'float32');
  const variance = b.makeOutput([c], 'float32');
  const rstd = b.makeOutput([c], 'float32');
  const scale = b.makeOutput([c], 'float32');
  const shift = b.makeOutput([c], 'float32');
  try {
    const [xo, zo, mo] = [x, z, mean].map((t) => off(b, t));
    // Two passes, as tf.moments: robust when |mean| >> std. Row chunks on every thread (row_partials.ts).
    const s1 = rowPartialSums(nat, 'row_sums', n, c, c, (r0, r1, acc) => [xo + 4 * r0 * c, r1 - r0, c, acc]);
    b.typedArrayFromHeap(mean).set(s1.map((v) => v / n));
    const s2 = rowPartialSums(nat, 'sq_dev_sums', n, c, c, (r0, r1, acc) => [xo + 4 * r0 * c, r1 - r0, c, mo, acc]);
    const [mv, vv, rv, sv, tv, gv, bv] = [mean, variance, rstd, scale, shift, gamma, beta].map((t) => b.typedArrayFromHeap(t));
    for (let k = 0; k < c; k++) {
      vv[k] = s2[k] / n;
      rv[k] = 1 / Math.sqrt(vv[k] + eps);
      sv[k] = gv[k] * rv[k];
      tv[k] = bv[k] - mv[k] * sv[k];
    }
    const [so, to] = [off(b, scale), off(b, shift)];
    nat.split('bn_apply', n, 1, c, (r0, r1) => [xo + 4 * r0 * c, zo + 4 * r0 * c, r1 - r0, c, so, to, args.attrs.act as number]); // rows
  } finally {
    (b as unknown as { disposeData(id: object): void }).disposeData(scale.dataId);
    (b as unknown as { disposeData(id: object): void }).disposeData(shift.dataId);
  }
  return [z, mean, variance, rstd];
}

/** Gradient with csrc/kernels.c; null when the native module is unavailable. */
function gradNative(args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] | null {
  const b = args.backend as WasmBackend;
  const nat = nativeKernels(b);
  if (!nat) return null;
  const { x, z, dz, mean, rstd, gamma } = args.inputs;
  const act = args.attrs.act as number;
  const c = x.shape[x.shape.length - 1];
  const n = x.shape.reduce((a, v) => a * v, 1) / c;
  const cp = (c + 3) & ~3;
  const dx = b.makeOutput(x.shape, 'float32');
  const dgamma = b.makeOutput([c], 'float32');
  const dbeta = b.makeOutput([c], 'float32');
  const coef = b.makeOutput([3, cp], 'float32'); // a, b, e rows
  try {
    const [xo, zo, dzo, mo] = [x, z, dz, mean].map((t) => off(b, t));
    // sum g in [0, c), sum g * (x - mean) in [cp, cp + c), over row chunks on every thread (row_partials.ts)
    const sums = rowPartialSums(nat, 'bn_grad_sums', n, c, 2 * cp, (r0, r1, acc) => {
      const o = 4 * r0 * c;
      return [xo + o, zo + o, dzo + o, mo, r1 - r0, c, 0, c, act, acc];
    });
    const [rv, gv, dgv, dbv, cv] = [rstd, gamma, dgamma, dbeta, coef].map((t) => b.typedArrayFromHeap(t));
    for (let k = 0; k < c; k++) {
      const db = sums[k];
      const dg = sums[cp + k] * rv[k];
      dbv[k] = db;
      dgv[k] = dg;
      cv[k] = gv[k] * rv[k];
      cv[cp + k] = db / n;
      cv[2 * cp + k] = (rv[k] * dg) / n;
    }
    const co = off(b, coef);
    const dxo = off(b, dx);
    nat.split('bn_grad_dx', n, 1, c, (r0, r1) => {
      const o = 4 * r0 * c; // rows [r0, r1)
      return [xo + o, zo + o, dzo + o, mo, co, co + 4 * cp, co + 8 * cp, r1 - r0, c, act, dxo + o];
    });
  } finally {
    (b as unknown as { disposeData(id: object): void }).disposeData(coef.dataId);
  }
  return [dx, dgamma, dbeta];
}

function forward(backendName: 'wasm' | 'cpu') {
  return (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] => {
    if (backendName === 'wasm') {
      const r = forwardNative(args);
      if (r) return r;
    }
    const { x, gamma, beta } = args.inputs;
    const eps = args.attrs.epsilon as number;
    const act = args.attrs.act as ActCode;
    const st = storageFor(backendName, args.backend);
    const c = x.shape[x.shape.length - 1];
    const n = x.shape.reduce((a, v) => a * v, 1) / c;
    const zOut = st.alloc(x.shape);
    const meanOut = st.alloc([c]);
    const varOut = st.alloc([c]);
    const rstdOut = st.alloc([c]);
    // Views only after the last allocation (a wasm heap growth replaces the buffer).
    const xv = st.read(x);
    const gv = st.read(gamma);
    const bv = st.read(beta);
    const s1 = new Float64Array(c);
    for (let r = 0, o = 0; r < n; r++, o += c) for (let k = 0; k < c; k++) s1[k] += xv[o + k];
    for (let k = 0; k < c; k++) s1[k] /= n;
    // Second pass for the variance (two-pass, as tf.moments): robust when |mean| >> std.
    const s2 = new Float64Array(c);
    for (let r = 0, o = 0; r < n; r++, o += c) {
      for (let k = 0; k < c; k++) {
        const d = xv[o + k] - s1[k];
        s2[k] += d * d;
      }
    }
    const scale = new Float32Array(c);
    const shift = new Float32Array(c);
    const mean = meanOut.view();
    const variance = varOut.view();
    const rstd = rstdOut.view();
    for (let k = 0; k < c; k++) {
      const v = s2[k] / n;
      mean[k] = s1[k];
      variance[k] = v;
      rstd[k] = 1 / Math.sqrt(v + eps);
      scale[k] = gv[k] * rstd[k];
      shift[k] = bv[k] - s1[k] * scale[k];
    }
    const z = zOut.view();
    for (let r = 0, o = 0; r < n; r++, o += c) {
      for (let k = 0; k < c; k++) {
        let y = xv[o + k] * scale[k] + shift[k];
        if (act !== 0 && y < 0) y = 0;
        if (act === 2 && y > 6) y = 6;
        z[o + k] = y;
      }
    }
    return [zOut.info, meanOut.info, varOut.info, rstdOut.info];
  };
}

function grad(backendName: 'wasm' | 'cpu') {
  return (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }): tf.TensorInfo[] => {
    if (backendName === 'wasm') {
      const r = gradNative(args);
      if (r) return r;
    }
    const { x, z, dz, mean, rstd, gamma } = args.inputs;
    const act = args.attrs.act as ActCode;
    const st = storageFor(backendName, args.backend);
    const c = x.shape[x.shape.length - 1];
    const n = x.shape.reduce((a, v) => a * v, 1) / c;
    const dxOut = st.alloc(x.shape);
    const dgOut = st.alloc([c]);
    const dbOut = st.alloc([c]);
    const xv = st.read(x);
    const zv = st.read(z);
    const dzv = st.read(dz);
    const mv = st.read(mean);
    const rv = st.read(rstd);
    const gv = st.read(gamma);
    const db = new Float64Array(c);
    const dg = new Float64Array(c);
    // Pass 1: g = dz * act'(z), sums of g and g * xhat.
    for (let r = 0, o = 0; r < n; r++, o += c) {
      for (let k = 0; k < c; k++) {
        const zz = zv[o + k];
        const g = act === 0 || (zz > 0 && (act === 1 || zz < 6)) ? dzv[o + k] : 0;
        db[k] += g;
        dg[k] += g * (xv[o + k] - mv[k]) * rv[k];
      }
    }
    const a = new Float32Array(c); // gamma * rstd
    const b = new Float32Array(c); // dbeta / n
    const e = new Float32Array(c); // dgamma / n
    for (let k = 0; k < c; k++) {
      a[k] = gv[k] * rv[k];
      b[k] = db[k] / n;
      e[k] = dg[k] / n;
    }
    const dx = dxOut.view();
    for (let r = 0, o = 0; r < n; r++, o += c) {
      for (let k = 0; k < c; k++) {
        const zz = zv[o + k];
        const g = act === 0 || (zz > 0 && (act === 1 || zz < 6)) ? dzv[o + k] : 0;
        const xhat = (xv[o + k] - mv[k]) * rv[k];
        dx[o + k] = a[k] * (g - b[k] - xhat * e[k]);
      }
    }
    dgOut.view().set(dg);
    dbOut.view().set(db);
    return [dxOut.info, dgOut.info, dbOut.info];
  };
}

/**
 * FerBatchNormActForward's gradient: one FerBatchNormActGrad call from the saved x, gamma, z, mean and rstd (the
 * outputs mean, variance and rstd take no gradient: they feed the moving statistics only).
 */
const FORWARD_GRAD: tf.GradConfig = {
  kernelName: BN_ACT_FORWARD,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [true, true, false, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const [x, gamma, z, mean, rstd] = saved;
    const dz = (dy as (tf.Tensor | null)[])[0] ?? tf.zerosLike(z);
    const [dx, dgamma, dbeta] = tf.engine().runKernel(BN_ACT_GRAD, { x, z, dz, mean, rstd, gamma }, { act: attrs.act }) as tf.Tensor[];
    return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
  },
};

let registered = false;

/** Registers the two kernels for 'wasm' and 'cpu', and the forward kernel's gradient (idempotent). */
export function registerBatchNormActKernels(): void {
  if (registered) return;
  tf.registerGradient(FORWARD_GRAD);
  for (const backendName of ['wasm', 'cpu'] as const) {
    for (const [name, fn] of [[BN_ACT_FORWARD, forward(backendName)], [BN_ACT_GRAD, grad(backendName)]] as const) {
      if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
      tf.registerKernel({ kernelName: name, backendName, kernelFunc: fn as unknown as tf.KernelFunc });
    }
  }
  registered = true;
}
