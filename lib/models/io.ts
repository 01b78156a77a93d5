/**
 * Saving and loading a trained AuModel as a directory:
 *   DIR/model.json   tfjs layers topology (with trainable flags) + weights manifest
 *   DIR/weights.bin  all weights, float32
 *   DIR/fer-au.json  {format, version, backbone, inputSize, numAus, aus, preprocessing, weights}
 * Written atomically: everything goes to a temporary sibling directory that is renamed over DIR.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { readJson } from '../util/fs';
import { AuModel, wrapAuModel } from './au_model';
import { PREPROCESS_MODES, PreprocessMode } from './preprocessing';
import { assertBackboneName, BackboneName } from './types';
import { WeightReport } from './weights';
import './batch_norm'; // registers the custom layer classes for deserialisation

export const AU_MODEL_FORMAT = 'fer-au-model';
export const AU_MODEL_VERSION = 1;

export interface AuModelMeta {
  format: typeof AU_MODEL_FORMAT;
  version: number;
  backbone: BackboneName;
  inputSize: number;
  numAus: number;
  aus: string[] | null;
  preprocessing: PreprocessMode;
  weights: WeightReport | null;
  savedAt: string;
  tfjsVersion: string;
}

/** Saves `m` to `dir` (created or replaced atomically). Returns the metadata written. */
export async function saveAuModel(m: AuModel, dir: string): Promise<AuModelMeta> {
  const target = path.resolve(dir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  const meta: AuModelMeta = {
    format: AU_MODEL_FORMAT, version: AU_MODEL_VERSION, backbone: m.backbone, inputSize: m.inputSize, numAus: m.numAus,
    aus: m.aus, preprocessing: m.preprocessing, weights: m.weights, savedAt: new Date().toISOString(), tfjsVersion: tf.version.tfjs,
  };
  try {
    await m.model.save(
      tf.io.withSaveHandler(async (a) => {
        if (!(a.weightData instanceof ArrayBuffer)) throw new Error('saveAuModel: expected a single weights buffer');
        fs.writeFileSync(path.join(tmp, 'weights.bin'), Buffer.from(a.weightData));
        const json = {
          format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null,
          modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        };
        fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(json));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    fs.writeFileSync(path.join(tmp, 'fer-au.json'), JSON.stringify(meta, null, 2) + '\n');
    const old = `${target}.old-${process.pid}-${Date.now()}`;
    const existed = fs.existsSync(target);
    if (existed) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    if (existed) fs.rmSync(old, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return meta;
}

/** Loads a directory written by `saveAuModel`; errors name the file and field. */
export async function loadAuModel(dir: string): Promise<AuModel> {
  const metaFile = path.join(dir, 'fer-au.json');
  const modelFile = path.join(dir, 'model.json');
  const meta = readJson<AuModelMeta>(metaFile);
  if (meta.format !== AU_MODEL_FORMAT) throw new Error(`${metaFile}: format is '${String(meta.format)}', expected '${AU_MODEL_FORMAT}'`);
  if (meta.version !== AU_MODEL_VERSION) throw new Error(`${metaFile}: version ${String(meta.version)} is not supported (expected ${AU_MODEL_VERSION})`);
  try {
    assertBackboneName(meta.backbone);
  } catch (err) {
    throw new Error(`${metaFile}: field backbone: ${(err as Error).message}`);
  }
  if (!PREPROCESS_MODES.includes(meta.preprocessing)) {
    throw new Error(`${metaFile}: field preprocessing '${String(meta.preprocessing)}' is not one of ${PREPROCESS_MODES.join(', ')}`);
  }
  const json = readJson<{ modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig }>(modelFile);
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) throw new Error(`${modelFile}: not a tfjs layers model (modelTopology/weightsManifest missing)`);
  const buffers = json.weightsManifest.flatMap((g) => g.paths).map((p) => {
    const f = path.join(dir, p);
    if (!fs.existsSync(f)) throw new Error(`${modelFile}: weight file ${p} not found`);
    return fs.readFileSync(f);
  });
  const all = Buffer.concat(buffers);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const outDim = model.outputs[0].shape[1];
  if (outDim !== meta.numAus) throw new Error(`${metaFile}: numAus ${meta.numAus} but the model outputs ${String(outDim)}`);
  return wrapAuModel(model, { backbone: meta.backbone, inputSize: meta.inputSize, aus: meta.aus, weights: meta.weights, preprocessing: meta.preprocessing });
}
