/**
 * Format 'nsfwjs': the Keras MobileNetV2 1.0 layers model shipped in nsfwjs (fine-tuned for NSFW photo
 * classification), as a JS-wrapped tfjs model: uint8-quantised, Keras names, BatchNorm unfolded; nsfwjs feeds it
 * x / 255.
 */
import * as tf from '@tensorflow/tfjs';
import { NamedWeight } from './h5';
import { splitLast, tensorMapToNamed } from './weights_assign';
import { EmbeddedEntry, embeddedFile, weightsManifest } from './weights_manifest';

/** The JS-wrapped tfjs model (topology + weights manifest + weight bytes) of nsfwjs's MobileNetV2. */
export function nsfwjsMobileNetV2Artifacts(): tf.io.ModelArtifacts {
  const entry = weightsManifest().embedded.find((e) => e.id === 'nsfwjs-mobilenet-v2')!;
  const model = require(embeddedFile(entry, 'model')) as { modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
  const b64 = require(embeddedFile(entry, 'weights')) as string;
  if (typeof b64 !== 'string') throw new Error(`${embeddedFile(entry, 'weights')}: expected a base64 string export`);
  const bytes = Buffer.from(b64, 'base64');
  return {
    modelTopology: model.modelTopology,
    weightSpecs: model.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    format: 'layers-model',
  };
}

/** nsfwjs's MobileNetV2 weights, Keras-named as they are stored. */
export async function nsfwjsMobileNetV2Weights(): Promise<{ named: NamedWeight[]; ignored: string[]; entry: EmbeddedEntry }> {
  const entry = weightsManifest().embedded.find((e) => e.id === 'nsfwjs-mobilenet-v2')!;
  const a = nsfwjsMobileNetV2Artifacts();
  const map = tf.io.decodeWeights(a.weightData as ArrayBuffer, a.weightSpecs!);
  const { named, ignored } = await tensorMapToNamed(map, splitLast);
  return { named, ignored, entry };
}
