// The AU model: gradients reach every trainable weight for every registered backbone, frozen BatchNorm stays in
// inference mode in training calls, freezing by name prefix, parameter summaries (hand-derived), a few training
// steps on wasm, and save/load. Small inputs keep it cheap.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { auModelSummary, BACKBONE_NAMES, BACKBONES, buildAuModel, loadAuModel, saveAuModel } from '../../lib/models';

let tmp: string;
before(async () => {
  await initBackend('wasm');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-model-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LABELS = [
  [1, 0, 1, 0, 1, 0, 1, 0],
  [0, 1, 0, 1, 0, 1, 0, 1],
];

describe('gradients', () => {
  for (const name of BACKBONE_NAMES) {
    const size = BACKBONES[name].inputMultiple === 32 ? 64 : 32;
    test(`${name}: a gradient reaches every trainable weight of the AU model and none is NaN (${size} px)`, async () => {
      const m = await buildAuModel({ backbone: name, inputSize: size, seed: 1 });
      const x = tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 2);
      const y = tf.tensor2d(LABELS);
      const vars = m.model.trainableWeights.map((w) => w.read() as tf.Variable);
      assert.equal(vars.length, m.model.trainableWeights.length);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.sigmoidCrossEntropy(y, m.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        vars,
      );
      assert.ok(Number.isFinite(value.dataSync()[0]));
      const dead: string[] = [];
      for (const w of m.model.trainableWeights) {
        const g = grads[(w.read() as tf.Variable).name];
        const v = g ? g.dataSync() : null;
        if (!v || !v.every(Number.isFinite) || !v.some((e) => e !== 0)) dead.push(w.originalName);
      }
      assert.deepEqual(dead, []);
      tf.dispose([x, y, value, ...Object.values(grads)]);
      m.model.dispose();
    });
  }
});

describe('freezing', () => {
  test('with the backbone frozen, a training=true call keeps BatchNorm in inference mode and its statistics fixed', async () => {
    const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 64, weights: 'embedded', seed: 1 });
    const x = tf.randomUniform([4, 64, 64, 3], -1, 1, 'float32', 3);
    const stats = () => m.model.getLayer('conv_dw_13_bn').getWeights()[2].dataSync().slice();
    const before = stats();
    m.freezeBackbone();
    const inference = m.features.predict(x) as tf.Tensor;
    m.model.apply(x, { training: true });
    const training = m.features.apply(x, { training: true }) as tf.Tensor;
    assert.equal(tf.max(tf.abs(tf.sub(inference, training))).dataSync()[0], 0);
    assert.deepEqual(stats(), before);
    // Unfrozen, the same call uses batch statistics and moves the moving mean.
    m.unfreezeAll();
    const trainingUnfrozen = m.features.apply(x, { training: true }) as tf.Tensor;
    assert.ok(tf.max(tf.abs(tf.sub(inference, trainingUnfrozen))).dataSync()[0] > 1e-3);
    assert.notDeepEqual(stats(), before);
  });

  test('trainable parameter counts frozen, unfrozen and from conv_dw_12 equal the hand-derived values', async () => {
    const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 64, seed: 1 });
    const head = 2 * 1024 + 1024 * 8 + 8; // head BN gamma/beta + Dense kernel/bias
    m.freezeBackbone();
    assert.equal(m.trainableParamCount(), head);
    // conv_dw_12 (9*512), its BN (2*512), conv_pw_12 (512*1024), BN (2*1024), conv_dw_13 (9*1024), BN, conv_pw_13 (1024*1024), BN
    const fromDw12 = 9 * 512 + 2 * 512 + 512 * 1024 + 2 * 1024 + 9 * 1024 + 2 * 1024 + 1024 * 1024 + 2 * 1024;
    assert.equal(m.unfreezeFrom('conv_dw_12'), 8);
    assert.equal(m.trainableParamCount(), head + fromDw12);
    assert.ok(!m.model.getLayer('conv_pw_11').trainable);
    m.unfreezeAll();
    // Keras's MobileNet summary: 3,206,976 trainable of 3,228,864.
    assert.equal(m.trainableParamCount(), 3_206_976 + head);
    const s = auModelSummary(m);
    assert.deepEqual(
      [s.totalParams, s.trainableWhenFrozen, s.trainableWhenUnfrozen, s.headParams, s.featureDim, s.frozenLayers],
      [3_228_864 + 4 * 1024 + 1024 * 8 + 8, head, 3_206_976 + head, 4 * 1024 + 1024 * 8 + 8, 1024, 0],
    );
    m.unfreezeAll({ freezeBatchNorm: true });
    // BatchNorm gamma/beta (as many as the 21,888 moving statistics) stay frozen; the head's BatchNorm does not.
    assert.equal(m.trainableParamCount(), 3_206_976 - 21_888 + head);
  });

  test('unfreezeFrom throws when no layer name starts with the prefix', async () => {
    const m = await buildAuModel({ backbone: 'mobilenet_v2', inputSize: 32 });
    assert.throws(() => m.unfreezeFrom('conv_dw_12'), /unfreezeFrom\('conv_dw_12'\): no mobilenet_v2 layer name starts with it; e\.g\. .*Conv_1_bn/);
    assert.ok(m.unfreezeFrom('block_16_') > 0);
  });

  test('bad head options are rejected with the value', async () => {
    await assert.rejects(buildAuModel({ backbone: 'mobilenet_v1', numAus: 0 }), /numAus must be a positive integer, got 0/);
    await assert.rejects(buildAuModel({ backbone: 'mobilenet_v1', dropout: 1.5 }), /dropout must be in \[0, 1\), got 1.5/);
    await assert.rejects(buildAuModel({ backbone: 'resnet' as never }), /unknown backbone 'resnet'/);
  });
});

describe('training and saving', () => {
  test('three Adam steps on wasm lower the loss on a fixed batch', async () => {
    const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 64, weights: 'embedded', seed: 2, dropout: 0 });
    m.freezeBackbone();
    m.unfreezeFrom('conv_dw_13');
    const x = m.preprocess(tf.randomUniform([4, 64, 64, 3], 0, 255, 'float32', 4) as tf.Tensor4D);
    const y = tf.tensor2d([...LABELS, [1, 1, 0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0, 1, 1]]);
    const opt = tf.train.adam(1e-2);
    const losses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const loss = opt.minimize(() => tf.losses.sigmoidCrossEntropy(y, m.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
      losses.push(loss.dataSync()[0]);
    }
    assert.ok(losses.every(Number.isFinite));
    assert.ok(losses[2] < losses[0], `losses ${losses.join(', ')}`);
  });

  test('saveAuModel/loadAuModel round-trip predictions, metadata and frozen layers; saving again replaces atomically', async () => {
    const m = await buildAuModel({ backbone: 'mobilenet_v2', inputSize: 32, weights: 'embedded', aus: ['AU01', 'AU02', 'AU04'], seed: 3 });
    m.freezeBackbone();
    const dir = path.join(tmp, 'saved');
    await saveAuModel(m, dir);
    await saveAuModel(m, dir);
    assert.deepEqual(fs.readdirSync(tmp).sort(), ['saved']);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['fer-au.json', 'model.json', 'weights.bin']);
    const back = await loadAuModel(dir);
    assert.deepEqual([back.backbone, back.inputSize, back.numAus, back.aus, back.preprocessing], ['mobilenet_v2', 32, 3, ['AU01', 'AU02', 'AU04'], 'unit']);
    assert.equal(back.weights!.id, 'nsfwjs-mobilenet-v2');
    assert.equal(back.trainableParamCount(), m.trainableParamCount());
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 5);
    const a = m.model.predict(x) as tf.Tensor;
    const b = back.model.predict(x) as tf.Tensor;
    assert.equal(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0], 0);
    const fa = back.head.predict(back.features.predict(x)) as tf.Tensor;
    assert.ok(tf.max(tf.abs(tf.sub(fa, b))).dataSync()[0] < 1e-5, 'features + head != model');
  });

  test('loadAuModel names the file and field of a bad metadata file', async () => {
    const dir = path.join(tmp, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'fer-au.json'), JSON.stringify({ format: 'fer-au-model', version: 1, backbone: 'vgg', preprocessing: 'tf' }));
    await assert.rejects(loadAuModel(dir), new RegExp(`${dir}/fer-au.json: field backbone: unknown backbone 'vgg'`));
  });
});
