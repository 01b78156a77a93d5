// Tests generated from the registry (as timm's tests/test_models.py): for every backbone, Keras's parameter
// counts with and without the top, published mult-adds, output shapes at 128 and 224 px, no NaN; plus argument
// validation. Forward passes run on wasm.
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { BACKBONE_NAMES, BACKBONES, buildBackbone, countMultAdds, getBackbone, mobileNetV1 } from '../../lib/models';

before(async () => {
  await initBackend('wasm');
});

for (const name of BACKBONE_NAMES) {
  const spec = BACKBONES[name];
  describe(`backbone ${name}`, () => {
    test(`has Keras's ${spec.params.withTop} parameters with the 1000-class top and the published ${spec.multAdds224 / 1e6}M mult-adds at 224`, () => {
      const m = spec.build({ includeTop: true });
      assert.equal(m.countParams(), spec.params.withTop);
      assert.deepEqual(m.outputs[0].shape, [null, 1000]);
      // Published with 2-3 significant digits (569M, 300M, 2.83G, 4.29G): agree within half a percent.
      const rel = Math.abs(countMultAdds(m) - spec.multAdds224) / spec.multAdds224;
      assert.ok(rel < 0.005, `mult-adds ${countMultAdds(m)} vs published ${spec.multAdds224}`);
      m.dispose();
    });

    for (const size of [128, 224]) {
      test(`maps a ${size} px image to [1, ${size / 32}, ${size / 32}, ${spec.featureDim}] at ${spec.featureLayer}, finite, with ${spec.params.noTop} parameters`, () => {
        const m = spec.build({ inputSize: size, seed: 1 });
        assert.equal(m.countParams(), spec.params.noTop);
        assert.equal(m.outputs[0].sourceLayer.name, spec.featureLayer);
        const x = tf.randomUniform([1, size, size, 3], 0, 255, 'float32', 2) as tf.Tensor4D;
        const y = m.predict(spec.preprocess(x)) as tf.Tensor;
        assert.deepEqual(y.shape, [1, size / 32, size / 32, spec.featureDim]);
        const v = y.dataSync();
        assert.ok(v.every(Number.isFinite), 'output has NaN or Inf');
        assert.ok(v.some((e) => e !== 0), 'output is all zeros');
        tf.dispose([x, y]);
        m.dispose();
      });
    }

    test('every weighted layer has an explicit Keras name (none auto-generated)', () => {
      const m = spec.build({ inputSize: 64 });
      // tfjs names an unnamed layer `<snake_case>_<ClassName><n>` (e.g. conv2d_Conv2D3).
      const auto = m.layers.filter((l) => l.weights.length && new RegExp(`_${l.getClassName()}\\d+$`).test(l.name));
      assert.deepEqual(auto.map((l) => l.name), []);
      m.dispose();
    });
  });
}

describe('registry', () => {
  test('an unknown backbone name throws and lists the valid ones', () => {
    assert.throws(() => getBackbone('resnet50'), /unknown backbone 'resnet50'; valid: mobilenet_v1, mobilenet_v2, densenet121, densenet201/);
    assert.throws(() => buildBackbone('vgg16' as never), /valid: mobilenet_v1/);
  });

  test('a MobileNet input size that is not a multiple of 32 throws before building', () => {
    const tensorsBefore = tf.memory().numTensors;
    assert.throws(() => buildBackbone('mobilenet_v1', { inputSize: 100 }), /inputSize 100 is not a multiple of 32.*try 96/);
    assert.throws(() => buildBackbone('mobilenet_v2', { inputSize: 230 }), /inputSize 230 is not a multiple of 32/);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'weights were created before the check');
  });

  test('DenseNet takes any input size >= 32 and rejects smaller ones', () => {
    const m = buildBackbone('densenet121', { inputSize: 100 });
    assert.deepEqual(m.outputs[0].shape, [null, 3, 3, 1024]);
    m.dispose();
    assert.throws(() => buildBackbone('densenet121', { inputSize: 31 }), /inputSize must be an integer >= 32/);
  });

  test('a MobileNet alpha Keras does not offer throws and lists the valid ones', () => {
    assert.throws(() => buildBackbone('mobilenet_v1', { alpha: 0.3 }), /alpha 0.3 is not one of 0.25, 0.5, 0.75, 1/);
    assert.throws(() => buildBackbone('densenet201', { alpha: 0.5 }), /alpha must be 1.0/);
  });

  test('MobileNet-v1 parameter counts at alpha 0.25/0.5/0.75/1.0 equal the hand-derived formula', () => {
    // conv1: 3x3x3xc kernel + 4c BatchNorm; each block: 3x3 depthwise (9 cin) + BN (4 cin) + 1x1 (cin cout) + BN (4 cout).
    const blocks = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];
    for (const alpha of [0.25, 0.5, 0.75, 1.0]) {
      let cin = Math.trunc(32 * alpha);
      let expected = 27 * cin + 4 * cin;
      for (const f of blocks) {
        const cout = Math.trunc(f * alpha);
        expected += 9 * cin + 4 * cin + cin * cout + 4 * cout;
        cin = cout;
      }
      const m = mobileNetV1({ alpha, inputSize: 32 });
      assert.equal(m.countParams(), expected, `alpha ${alpha}`);
      m.dispose();
    }
    assert.equal(3_228_864, 27 * 32 + 4 * 32 + blocks.reduce((a, f, i) => { const cin = i ? blocks[i - 1] : 32; return a + 13 * cin + cin * f + 4 * f; }, 0));
  });

  test('countMultAdds scales with the input area (MobileNet-v1 at 128 px vs 224 px)', () => {
    const a = buildBackbone('mobilenet_v1', { inputSize: 224 });
    const b = buildBackbone('mobilenet_v1', { inputSize: 128 });
    assert.equal(countMultAdds(b) * 224 * 224, countMultAdds(a) * 128 * 128);
    a.dispose();
    b.dispose();
  });

  test('fused BatchNorm+activation layers give the same features as the unfused Keras graph', () => {
    for (const name of ['mobilenet_v1', 'mobilenet_v2', 'densenet121'] as const) {
      const fused = buildBackbone(name, { inputSize: 64, seed: 3 });
      const plain = buildBackbone(name, { inputSize: 64, seed: 3, fuseActivations: false });
      // Same weights in the same order; give BatchNorm non-trivial statistics so negative pre-activations occur.
      fused.layers.forEach((l, i) => {
        if (l.getClassName() !== 'FerAuBatchNormalization') return;
        const c = l.weights[0].shape[0] as number;
        l.setWeights([
          tf.randomUniform([c], 0.8, 1.2, 'float32', i), tf.randomUniform([c], -0.5, 0.5, 'float32', i + 1),
          tf.randomUniform([c], -0.2, 0.2, 'float32', i + 2), tf.randomUniform([c], 0.8, 1.5, 'float32', i + 3),
        ]);
      });
      plain.setWeights(fused.getWeights());
      const x = tf.randomUniform([2, 64, 64, 3], -1, 1, 'float32', 5);
      const a = fused.predict(x) as tf.Tensor;
      const b = plain.predict(x) as tf.Tensor;
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      assert.ok(diff < 1e-4, `${name}: max abs diff ${diff}`);
      assert.ok(plain.getLayer(BACKBONES[name].featureLayer).getClassName() !== fused.getLayer(BACKBONES[name].featureLayer).getClassName());
      tf.dispose([x, a, b]);
      fused.dispose();
      plain.dispose();
    }
  });
});
