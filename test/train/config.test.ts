import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, configDiff, loadConfigFile, mergeConfig, validateConfig } from '../../lib/train/config';
import { PRESETS } from '../../lib/train/presets';

test('every preset is a valid config', () => {
  for (const [name, c] of Object.entries(PRESETS)) assert.equal(validateConfig(structuredClone(c), name).name, name);
});

test('the paper preset has the paper settings: 224 px, Adam batch 64, fine-tuning lr 1e-5, dropout 0.2, 8 AUs', () => {
  const p = PRESETS.paper;
  assert.equal(p.inputSize, 224);
  assert.equal(p.stage2.batchSize, 64);
  assert.equal(p.stage2.learningRate, 1e-5);
  assert.equal(p.dropout, 0.2);
  assert.deepEqual(p.aus, ['AU01', 'AU02', 'AU04', 'AU06', 'AU09', 'AU12', 'AU25', 'AU26']);
});

test('an unknown key is rejected with its field path', () => {
  const c = { ...structuredClone(PRESETS.quick), stage2: { ...PRESETS.quick.stage2, lr: 1e-4 } };
  assert.throws(() => validateConfig(c), (e: Error) => e instanceof ConfigError && /^stage2\.lr: unknown key/.test(e.message));
});

test('impossible values are rejected with the field named and the value echoed', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ fold: 4 }, /^fold: must be one of 1, 2, 3; got 4/],
    [{ stage2: { ...PRESETS.quick.stage2, learningRate: -1 } }, /^stage2\.learningRate: must be > 0, got -1/],
    [{ stage1: { ...PRESETS.quick.stage1, batchSize: 2.5 } }, /^stage1\.batchSize: must be an integer, got 2\.5/],
    [{ aus: ['AU01', 'AU03'] }, /^aus\[1\]: must be one of/],
    [{ loss: 'hinge' }, /^loss: must be one of "bce", "bce-weighted", "lsep", "pr"; got "hinge"/],
    [{ inputSize: 100 }, /^inputSize: must be a multiple of 32 with the embedded MobileNet-v1 weights, got 100/],
    [{ dropout: 1 }, /^dropout: must be < 1, got 1/],
  ];
  for (const [override, re] of cases) {
    assert.throws(() => validateConfig({ ...structuredClone(PRESETS.quick), ...override }), (e: Error) => re.test(e.message));
  }
});

test('a missing key is reported as missing', () => {
  const { seed: _seed, ...rest } = structuredClone(PRESETS.quick);
  assert.throws(() => validateConfig(rest), (e: Error) => e.message === 'seed: missing');
});

test('a config file extends a preset and its errors name the file and the field', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-config-'));
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(good, JSON.stringify({ extends: 'quick', loss: 'lsep', stage2: { epochs: 3 } }));
  const c = loadConfigFile(good, PRESETS);
  assert.equal(c.loss, 'lsep');
  assert.equal(c.stage2.epochs, 3);
  assert.equal(c.stage2.learningRate, PRESETS.quick.stage2.learningRate);
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ extends: 'quick', stage1: { epochs: -2 } }));
  assert.throws(() => loadConfigFile(bad, PRESETS), new RegExp(`^ConfigError: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: stage1\\.epochs: must be >= 0, got -2`));
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"extends": "quick",');
  assert.throws(() => loadConfigFile(broken, PRESETS), /broken\.json: invalid JSON/);
  const unknownPreset = path.join(dir, 'unk.json');
  fs.writeFileSync(unknownPreset, '{"extends": "huge"}');
  assert.throws(() => loadConfigFile(unknownPreset, PRESETS), /unk\.json: extends: unknown preset "huge" \(valid: paper, quick, tiny\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('mergeConfig overrides nested fields and replaces arrays', () => {
  const m = mergeConfig({ a: { b: 1, c: 2 }, xs: [1, 2] }, { a: { c: 3 }, xs: [9] });
  assert.deepEqual(m, { a: { b: 1, c: 3 }, xs: [9] });
});

test('configDiff lists the differing field paths', () => {
  const a = structuredClone(PRESETS.quick);
  const b = { ...structuredClone(PRESETS.quick), seed: 7, stage2: { ...PRESETS.quick.stage2, epochs: 5 } };
  assert.deepEqual(configDiff(a, b), ['seed', 'stage2.epochs']);
  assert.deepEqual(configDiff(a, structuredClone(a)), []);
});

test('configs without the newer stage-2 fields get their defaults (whole-batch steps, head BatchNorm training)', () => {
  const { microBatchSize: _m, headBatchNorm: _h, ...oldStage2 } = PRESETS.quick.stage2;
  const old = { ...structuredClone(PRESETS.quick), stage2: oldStage2 };
  const c = validateConfig(old);
  assert.equal(c.stage2.microBatchSize, null);
  assert.equal(c.stage2.headBatchNorm, 'train');
  assert.ok(!('headBatchNorm' in old.stage2), 'validateConfig must not change its input');
  assert.throws(() => validateConfig({ ...old, stage2: { ...oldStage2, headBatchNorm: 'off' } }), /stage2\.headBatchNorm: must be one of "train", "frozen", "recalibrate"; got "off"/);
  assert.throws(() => validateConfig({ ...old, stage2: { ...oldStage2, microBatchSize: 0 } }), /stage2\.microBatchSize: must be >= 1, got 0/);
});
