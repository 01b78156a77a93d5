/** Format 'tfjs-layers': a tfjs layers model.json and the weight files next to it, Keras-named by layer. */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readJson } from '../util/fs';
import { NamedWeight } from './h5';
import { splitLast, tensorMapToNamed } from './weights_assign';

/** Weights of a tfjs layers model.json and its weight files. */
export async function readTfjsModelWeights(file: string): Promise<NamedWeight[]> {
  const json = readJson<{ weightsManifest?: tf.io.WeightsManifestConfig }>(file);
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file}: no weightsManifest (not a tfjs model.json)`);
  const dir = path.dirname(file);
  const buffers: Buffer[] = [];
  for (const g of json.weightsManifest) {
    for (const p of g.paths) {
      const f = path.join(dir, p);
      if (!fs.existsSync(f)) throw new Error(`${file}: weight file ${p} not found next to it`);
      buffers.push(fs.readFileSync(f));
    }
  }
  const all = Buffer.concat(buffers);
  const map = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), json.weightsManifest.flatMap((g) => g.weights));
  return (await tensorMapToNamed(map, splitLast)).named;
}
