/**
 * Prints the scale of MobileNet-v1's activations at a few depths, with random and with the embedded weights, in
 * inference mode (BatchNorm using its moving statistics, as frozen BatchNorm does in fine-tuning):
 *
 *   node -r ts-node/register/transpile-only scripts/activation_scale.ts [inputSize=128]
 *
 * The reason the random-initialisation twin (lib/experiments initialisationExperiments) trains its BatchNorm: a fresh
 * BatchNorm is an identity, and a random network without normalisation shrinks its signal layer by layer.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { buildAuModel } from '../lib/models';

const LAYERS = ['conv1_relu', 'conv_pw_3_relu', 'conv_pw_7_relu', 'conv_pw_13_relu'];

async function main(): Promise<void> {
  await initBackend();
  const size = Number(process.argv[2] ?? 128);
  const x = tf.randomUniform([8, size, size, 3], -1, 1, 'float32', 3);
  for (const weights of [null, 'embedded'] as const) {
    const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: size, seed: 1, weights });
    const probe = tf.model({ inputs: m.model.inputs, outputs: LAYERS.map((n) => m.model.getLayer(n).output as tf.SymbolicTensor) });
    const ys = probe.predict(x) as tf.Tensor[];
    ys.forEach((y, i) => {
      const pooled = y.mean([1, 2]);
      const spread = tf.moments(pooled, 0).variance.sqrt().mean().dataSync()[0];
      console.log(`${weights ?? 'random'}\t${LAYERS[i]}\tmean |a| ${y.abs().mean().dataSync()[0].toExponential(2)}\tsd of pooled features across images ${spread.toExponential(2)}`);
    });
    tf.dispose(ys);
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
