/**
 * Format 'face-api': the SSD-MobileNetV1 backbone shipped in @vladmandic/face-api (trained for face detection on
 * WIDER FACE, not ImageNet), as Keras-named MobileNet weights. uint8-quantised; conv1 / conv_pw_i store BatchNorm
 * folded into the kernel plus an offset, loaded as gamma 1, beta = offset, moving mean 0, moving variance
 * 1 - epsilon; conv_dw_i store BatchNorm unfolded. face-api feeds it x / 127.5 - 1 and uses 'same' padding (equal
 * to Keras's explicit (0, 1) padding at sizes that are multiples of 32).
 */
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import { readJson } from '../util/fs';
import { NamedWeight } from './h5';
import { tensorMapToNamed } from './weights_assign';
import { EmbeddedEntry, embeddedFile, weightsManifest } from './weights_manifest';

/** face-api's SSD-MobileNetV1 backbone as Keras-named MobileNet weights (see the comment above). */
export async function faceApiMobileNetV1Weights(epsilon = 1e-3): Promise<{ named: NamedWeight[]; ignored: string[]; entry: EmbeddedEntry }> {
  const entry = weightsManifest().embedded.find((e) => e.id === 'face-api-ssd-mobilenetv1')!;
  const manifestFile = embeddedFile(entry, 'manifest');
  const binFile = embeddedFile(entry, 'weights');
  const groups = readJson<tf.io.WeightsManifestConfig>(manifestFile);
  const specs = groups.flatMap((g) => g.weights);
  const buf = fs.readFileSync(binFile);
  const map = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
  const { named, ignored } = await tensorMapToNamed(map, (key) => {
    let m = /^MobilenetV1\/Conv2d_(\d+)_pointwise\/weights$/.exec(key);
    if (m) return { layer: m[1] === '0' ? 'conv1' : `conv_pw_${m[1]}`, name: 'kernel' };
    m = /^MobilenetV1\/Conv2d_(\d+)_pointwise\/convolution_bn_offset$/.exec(key);
    if (m) return { layer: m[1] === '0' ? 'conv1_bn' : `conv_pw_${m[1]}_bn`, name: 'beta' };
    m = /^MobilenetV1\/Conv2d_(\d+)_depthwise\/depthwise_weights$/.exec(key);
    if (m) return { layer: `conv_dw_${m[1]}`, name: 'depthwise_kernel' };
    m = /^MobilenetV1\/Conv2d_(\d+)_depthwise\/BatchNorm\/(gamma|beta|moving_mean|moving_variance)$/.exec(key);
    if (m) return { layer: `conv_dw_${m[1]}_bn`, name: m[2] };
    return null;
  });
  // Folded BatchNorm: y = conv(x) + offset, i.e. gamma 1, beta offset, mean 0, variance 1 - eps (sqrt(var + eps) = 1).
  for (const w of named.filter((n) => n.name === 'beta' && (n.layer === 'conv1_bn' || n.layer.startsWith('conv_pw_')))) {
    const c = w.shape[0];
    named.push({ layer: w.layer, name: 'gamma', shape: [c], values: new Float32Array(c).fill(1) });
    named.push({ layer: w.layer, name: 'moving_mean', shape: [c], values: new Float32Array(c) });
    named.push({ layer: w.layer, name: 'moving_variance', shape: [c], values: new Float32Array(c).fill(1 - epsilon) });
  }
  return { named, ignored, entry };
}
