// Weight loading: the embedded sets reproduce their source models' activations, .h5 and model.json files load
// strictly by name, and bad files are refused with the reason.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import {
  buildAuModel, buildBackbone, kerasWeightsEntry, loadBackboneWeights, nsfwjsMobileNetV2Artifacts, packageRoot, weightsManifest,
} from '../../lib/models';
import { H5Layer, writeKerasH5 } from './keras_h5_writer';

let tmp: string;
before(async () => {
  await initBackend('wasm');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-weights-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * face-api's own MobileNetV1 forward pass (src/ssdMobilenetv1/mobileNetV1.ts and pointwiseConvLayer.ts, transpiled
 * here with its tfjs import bound to ours; the function is not exported by the bundle), run on the parameters
 * face-api's own loader extracts from the shipped weights.
 */
async function faceApiMobileNetV1(): Promise<(x: tf.Tensor4D) => tf.Tensor4D> {
  const root = packageRoot('@vladmandic/face-api');
  const faceapi = require(path.join(root, 'dist', 'face-api.node-wasm.js'));
  const net = new faceapi.SsdMobilenetv1();
  await net.loadFromDisk(path.join(root, 'model'));
  const cache = new Map<string, any>();
  const load = (file: string): any => {
    if (cache.has(file)) return cache.get(file);
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    const mod = { exports: {} as any };
    const req = (s: string) => (s.endsWith('tfjs.esm') ? tf : load(path.join(path.dirname(file), `${s}.ts`)));
    new Function('exports', 'require', 'module', js)(mod.exports, req, mod);
    cache.set(file, mod.exports);
    return mod.exports;
  };
  const { mobileNetV1 } = load(path.join(root, 'src', 'ssdMobilenetv1', 'mobileNetV1.ts'));
  return (x) => mobileNetV1(x, net.params.mobilenetv1).out;
}

function layerOutput(model: tf.LayersModel, name: string): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer(name).output as tf.SymbolicTensor });
}

describe('embedded weights', () => {
  test("face-api's MobileNetV1 and ours with the embedded weights agree at conv_pw_13_relu (max abs diff < 1e-3)", async () => {
    const reference = await faceApiMobileNetV1();
    const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 128, weights: 'embedded' });
    const x = tf.randomUniform([2, 128, 128, 3], 0, 255, 'float32', 11) as tf.Tensor4D;
    const input = m.preprocess(x); // x / 127.5 - 1, as face-api's SSD preprocessor
    const a = reference(input);
    const b = layerOutput(m.model, 'conv_pw_13_relu').predict(input) as tf.Tensor;
    assert.deepEqual(b.shape, [2, 4, 4, 1024]);
    const diff = maxAbsDiff(a, b);
    assert.ok(diff < 1e-3, `max abs diff ${diff}`);
    assert.ok(tf.max(a).dataSync()[0] > 1, 'reference activations are trivial');
    const r = m.weights!;
    assert.equal(r.preprocessing, 'tf');
    assert.match(r.dataset, /WIDER FACE/);
    assert.match(r.notes.join(' '), /not ImageNet/);
    assert.deepEqual(r.missing, []);
    assert.ok(r.unexpected.includes('Prediction/BoxPredictor_0/ClassPredictor/weights'));
    assert.equal(r.loaded, 27 * 5); // 27 conv kernels + 27 BatchNorms x 4
  });

  test("nsfwjs's MobileNetV2 (loaded with tf.loadLayersModel from its files) and ours agree at out_relu", async () => {
    const reference = await tf.loadLayersModel({ load: async () => nsfwjsMobileNetV2Artifacts() });
    const m = await buildAuModel({ backbone: 'mobilenet_v2', inputSize: 224, weights: 'embedded' });
    const x = tf.randomUniform([1, 224, 224, 3], 0, 255, 'float32', 12) as tf.Tensor4D;
    const input = m.preprocess(x);
    assert.equal(m.preprocessing, 'unit'); // nsfwjs feeds x / 255
    assert.ok(tf.max(input).dataSync()[0] <= 1 && tf.min(input).dataSync()[0] >= 0);
    const a = layerOutput(reference, 'out_relu').predict(input) as tf.Tensor;
    const b = layerOutput(m.model, 'out_relu').predict(input) as tf.Tensor;
    const diff = maxAbsDiff(a, b);
    assert.ok(diff < 1e-3, `max abs diff ${diff}`);
    assert.ok(tf.max(a).dataSync()[0] > 1, 'reference activations are trivial');
    assert.deepEqual(m.weights!.missing, []);
    assert.deepEqual([...m.weights!.unexpected].sort(), ['dense_1/bias', 'dense_1/kernel', 'dense_2/bias', 'dense_2/kernel', 'dense_3/bias', 'dense_3/kernel']);
  });

  test('DenseNet has no embedded weights: the error names the official .h5 URL and --weights', async () => {
    const m = buildBackbone('densenet121', { inputSize: 32 });
    const e = kerasWeightsEntry('densenet121');
    assert.equal(e.md5, '30ee3e1110167f948a6b9946edeeb738');
    await assert.rejects(loadBackboneWeights(m, 'embedded'), (err: Error) => {
      assert.ok(err.message.includes(e.url), err.message);
      assert.match(err.message, /--weights PATH/);
      return true;
    });
  });

  test('embedded weights are refused on a shape mismatch (alpha 0.5), leaving the model untouched', async () => {
    const m = buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.5, seed: 4 });
    const before = m.getWeights().map((w) => w.dataSync().slice());
    await assert.rejects(loadBackboneWeights(m, 'embedded'), /shape mismatch.*conv1\/kernel: model \[3, 3, 3, 16\], source \[3, 3, 3, 32\]/);
    m.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), before[i]));
  });

  test('the manifest lists the embedded files with hashes that match the installed packages', async () => {
    const { md5File } = await import('../../lib/models');
    for (const e of weightsManifest().embedded) {
      for (const [key, rel] of Object.entries(e.files)) {
        const file = path.join(packageRoot(e.package), path.relative(e.package, rel));
        assert.equal(await md5File(file), e.md5[key], file);
      }
    }
  });
});

function kerasLayers(model: tf.LayersModel, rename: (n: string) => string = (n) => n): H5Layer[] {
  return model.layers.map((l) => ({
    name: rename(l.name),
    weights: l.weights.map((w) => ({ name: w.originalName.split('/').pop()!, shape: w.shape as number[], values: w.read().dataSync() as Float32Array })),
  }));
}

function assertSameWeights(a: tf.LayersModel, b: tf.LayersModel): void {
  for (const l of b.layers) {
    if (!l.weights.length) continue;
    const src = a.getLayer(l.name);
    l.weights.forEach((w, i) => assert.deepEqual(w.read().dataSync(), src.weights[i].read().dataSync(), `${l.name}/${w.originalName}`));
  }
}

describe('Keras .h5 and tfjs model.json files', () => {
  test('a Keras save_weights .h5 with a top loads into a no-top model by name; the top is reported unexpected', async () => {
    const src = buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.25, includeTop: true, seed: 5 });
    const file = path.join(tmp, 'mobilenet_user.h5');
    await writeKerasH5(file, kerasLayers(src));
    const dst = buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.25, seed: 6 });
    const r = await loadBackboneWeights(dst, file);
    assertSameWeights(src, dst);
    assert.equal(r.format, 'keras-h5');
    assert.equal(r.loaded, 135);
    assert.deepEqual(r.missing, []);
    assert.deepEqual(r.unexpected, ['conv_preds/kernel', 'conv_preds/bias']);
    assert.equal(r.checksum, undefined); // not a manifest file name
  });

  test("a Keras 2 DenseNet file (conv1/conv, conv1/bn; under model_weights; layer_names split in chunks) loads into Keras 3 names", async () => {
    const src = buildBackbone('densenet121', { inputSize: 32, seed: 7 });
    const file = path.join(tmp, 'densenet_full_model.h5');
    await writeKerasH5(file, kerasLayers(src, (n) => n.replace(/^conv1_(conv|bn|relu)$/, 'conv1/$1')), { modelWeights: true, splitAttributes: true });
    const dst = buildBackbone('densenet121', { inputSize: 32, seed: 8 });
    const r = await loadBackboneWeights(dst, file);
    assertSameWeights(src, dst);
    assert.equal(r.backbone, 'densenet121');
    assert.equal(r.preprocessing, 'torch');
    assert.deepEqual([r.missing, r.unexpected], [[], []]);
  });

  test('a file missing a layer is refused and names the missing weights', async () => {
    const src = buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.25, seed: 5 });
    const file = path.join(tmp, 'partial.h5');
    await writeKerasH5(file, kerasLayers(src).filter((l) => l.name !== 'conv_dw_7_bn'));
    const dst = buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.25 });
    await assert.rejects(loadBackboneWeights(dst, file), /4 model weight\(s\) missing.*conv_dw_7_bn\/gamma/);
    const r = await loadBackboneWeights(dst, file, { allowMissing: true });
    assert.equal(r.missing.length, 4);
  });

  test('a file named like an official Keras download is checked against its md5 and refused on mismatch', async () => {
    const file = path.join(tmp, 'densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5');
    fs.writeFileSync(file, 'not the real weights');
    const m = buildBackbone('densenet121', { inputSize: 32 });
    await assert.rejects(loadBackboneWeights(m, file), /md5 [0-9a-f]{32} does not match 30ee3e1110167f948a6b9946edeeb738/);
  });

  test('a file that is not HDF5 is refused with its name', async () => {
    const file = path.join(tmp, 'garbage.h5');
    fs.writeFileSync(file, 'garbage');
    await assert.rejects(loadBackboneWeights(buildBackbone('mobilenet_v1', { inputSize: 32, alpha: 0.25 }), file), new RegExp(`${file}: cannot open as HDF5`));
  });

  test('a tfjs layers model.json loads by name', async () => {
    const src = buildBackbone('mobilenet_v2', { inputSize: 32, alpha: 0.35, seed: 9 });
    const dir = path.join(tmp, 'tfjs');
    fs.mkdirSync(dir);
    await src.save(tf.io.withSaveHandler(async (a) => {
      fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.from(a.weightData as ArrayBuffer));
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const dst = buildBackbone('mobilenet_v2', { inputSize: 32, alpha: 0.35, seed: 10 });
    const r = await loadBackboneWeights(dst, path.join(dir, 'model.json'));
    assertSameWeights(src, dst);
    assert.equal(r.format, 'tfjs-layers');
    assert.deepEqual([r.missing, r.unexpected], [[], []]);
  });
});
