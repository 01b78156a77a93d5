/**
 * Per-kernel profile of training steps of a lib/bench network on wasm (lib/bench/kernel_profile.ts), sorted by CPU time.
 * Usage: FER_WASM_THREADS=1|2 node -r ts-node/register/transpile-only bench/profile_step.ts [network] [size] [batch] [steps]
 *        (defaults mobilenet_v1 128 16 2; TOP=n rows, SORT=wall|cpu)
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { buildNetwork, BenchNetwork } from '../lib/bench';
import { formatProfile, profileKernels } from '../lib/bench/kernel_profile';
(async () => {
  const info = await initBackend('wasm');
  const network = (process.argv[2] ?? 'mobilenet_v1') as BenchNetwork;
  const size = Number(process.argv[3] ?? 128);
  const batch = Number(process.argv[4] ?? 16);
  const steps = Number(process.argv[5] ?? 2);
  const net = await buildNetwork(network, size);
  const x = tf.randomUniform([batch, size, size, 3], -1, 1, 'float32', 7);
  const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([batch, 8], 0, 1, 'float32', 8), 0.5), 'float32'));
  await net.trainStep(x, y);
  for (let i = 0; i < steps; i++) {
    const p = await profileKernels(() => net.trainStep(x, y));
    console.log(`${network} ${size}px batch ${batch} ${info.threads} threads, step ${i + 1}: ${((batch * 1000) / p.wallMs).toFixed(2)} img/s`);
    console.log(formatProfile(p, Number(process.env.TOP ?? 30), process.env.SORT === 'wall' ? 'wall' : 'cpu'));
  }
  console.log('peak RSS GiB', (process.resourceUsage().maxRSS / 2 ** 20).toFixed(2));
})();
