/**
 * Wall and CPU milliseconds (median of 5 after a warm-up) of Conv2DBackpropFilter on every conv of the MobileNet-v1
 * AU model at one size and batch (wasm): 1x1 by csrc matmul_tn (default) and by the composition it replaced, with that
 * composition's parts (the transpose and XNNPACK's matmul).
 * Usage: FER_WASM_THREADS=1|2 node -r ts-node/register/transpile-only bench/filter_grads.ts [size] [batch]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { setPointwiseFilterGradNative } from '../lib/backend/kernels/conv_grads';
import { mobilenetV1PointwiseShapes } from '../lib/models/mobilenet_v1';
const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
function time(f: () => tf.Tensor): [number, number] {
  f().dispose();
  const walls: number[] = []; const cpus: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c0 = cpu(); const t0 = performance.now();
    const r = f(); r.dataSync(); r.dispose();
    walls.push(performance.now() - t0); cpus.push(cpu() - c0);
  }
  return [median(walls), median(cpus)];
}
(async () => {
  const info = await initBackend('wasm');
  const size = Number(process.argv[2] ?? 128);
  const n = Number(process.argv[3] ?? 16);
  const pw = mobilenetV1PointwiseShapes(size); // [spatial, ci, co] of conv_pw_1..13
  const tot = { full: [0, 0], old: [0, 0], tr: [0, 0], mm: [0, 0] };
  const add = (a: number[], b: number[]) => { a[0] += b[0]; a[1] += b[1]; };
  const fmt = (v: number[]) => `${v[0].toFixed(1)} / ${v[1].toFixed(1)}`;
  console.log(`wasm ${info.threads} threads, ${size} px, batch ${n}: wall / cpu ms`);
  {
    const x = tf.randomNormal([n, size + 1, size + 1, 3]); const dy = tf.randomNormal([n, size / 2, size / 2, 32]);
    const full = time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 3, 32] }) as tf.Tensor);
    add(tot.full, full);
    console.log(`conv1 3x3/2 ${size + 1}px 3->32: ${fmt(full)}`);
  }
  pw.forEach(([hw, ci, co], i) => {
    const x = tf.randomNormal([n, hw, hw, ci]); const dy = tf.randomNormal([n, hw, hw, co]);
    const m = n * hw * hw;
    const grad = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [1, 1, ci, co] }) as tf.Tensor;
    const full = time(grad);
    setPointwiseFilterGradNative(false);
    const old = time(grad);
    setPointwiseFilterGradNative(true);
    add(tot.old, old);
    const x2 = tf.reshape(x, [m, ci]); const dy2 = tf.reshape(dy, [m, co]);
    const tr = time(() => tf.transpose(x2));
    const xt = tf.transpose(x2);
    const mm = time(() => tf.matMul(xt, dy2));
    add(tot.full, full); add(tot.tr, tr); add(tot.mm, mm);
    console.log(`pw${i + 1} ${hw}px ${ci}->${co} (M ${m}): matmul_tn ${fmt(full)}  composition ${fmt(old)} = transpose ${fmt(tr)}  matmul ${fmt(mm)}`);
    tf.dispose([x, dy, xt]);
  });
  console.log(`total (matmul_tn; conv1 included) ${fmt(tot.full)}  composition ${fmt(tot.old)} = transpose ${fmt(tot.tr)}  matmul ${fmt(tot.mm)}`);
})();
