import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { DISFA_FOLDS } from '../../lib/data';
import { buildAuModel, type AuModel } from '../../lib/models';
import { disposeAuModel, PRESETS, trainTwoStage, type ExperimentConfig } from '../../lib/train';

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-two-stage-'));
process.on('exit', () => fs.rmSync(cacheDir, { recursive: true, force: true }));

function tiny(over: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return { ...structuredClone(PRESETS.tiny), ...over };
}

/** moving_mean and moving_variance of every backbone BatchNorm layer, by weight name. */
function bnStats(m: AuModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const l of m.backboneLayers()) {
    for (const w of l.weights) if (/moving_(mean|variance)$/.test(w.originalName)) out.set(w.originalName, w.read().dataSync() as Float32Array);
  }
  return out;
}

test('stage 1 leaves every backbone BatchNorm statistic unchanged (features in inference mode)', async () => {
  await initBackend();
  // pretrained MobileNet-v1 (non-trivial moving statistics), 32 px, stage 1 only
  const c = tiny({ alpha: 1, weights: 'embedded', stage2: { ...PRESETS.tiny.stage2, epochs: 0 } });
  const fresh = await buildAuModel({ backbone: c.backbone, inputSize: c.inputSize, numAus: c.aus.length, weights: 'embedded', alpha: 1 });
  const before = bnStats(fresh);
  assert.ok(before.size >= 2 * 27, `expected the 27 BatchNorm layers of MobileNet-v1, got ${before.size / 2}`);
  const { model, results } = await trainTwoStage(c, { runDir: path.join(cacheDir, 'bn-run'), cacheDir });
  assert.equal(results.history.stage1.length, c.stage1.epochs);
  // without stage 2 the final model is the stage-1 model: metrics.stage1 (head on cached features) equals the
  // evaluation of the whole model on the images, on the same test frames
  const s1 = results.metrics.stage1!;
  assert.ok(Math.abs(s1.meanF1 - results.metrics.meanF1) < 1e-9, `stage1 ${s1.meanF1} vs final ${results.metrics.meanF1}`);
  for (const [au, v] of Object.entries(results.metrics.perAu)) {
    assert.equal(s1.perAu[au].support, v.support);
    assert.equal(s1.perAu[au].f1, v.f1);
    assert.ok(Math.abs(s1.perAu[au].ap - v.ap) < 1e-6);
  }
  // metrics.ci: the subject bootstrap of the final model's test scores; its estimates are the file's own metrics.
  const ci = results.metrics.ci!;
  assert.equal(ci.subjects, results.data.testSubjects.length);
  assert.equal(ci.resamples, 1000);
  assert.ok(Math.abs(ci.meanF1.estimate - results.metrics.meanF1) < 1e-12);
  assert.ok(Math.abs(ci.tunedMeanF1!.estimate - results.metrics.tuned!.meanF1) < 1e-12);
  assert.ok(Math.abs(ci.meanAp.estimate - results.metrics.meanAp) < 1e-9);
  assert.ok(ci.meanF1.low <= ci.meanF1.high);
  assert.equal(results.schemaVersion, 2);
  assert.equal(results.data.root, 'embedded');
  const after = bnStats(model);
  for (const [name, v] of before) assert.deepEqual(Array.from(after.get(name)!), Array.from(v), `${name} changed in stage 1`);
  // ...and the check can fail: one training-mode step through the unfrozen backbone does move them.
  fresh.unfreezeAll();
  tf.tidy(() => fresh.model.apply(tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', 1), { training: true }) as tf.Tensor);
  const moved = bnStats(fresh);
  const changed = [...before].filter(([name, v]) => moved.get(name)!.some((x, i) => x !== v[i])).length;
  assert.ok(changed > 0.9 * before.size, `only ${changed} of ${before.size} statistics moved in training mode`);
  disposeAuModel(fresh);
  disposeAuModel(model);
});

test('the same config and seed give identical history and metrics, leak no tensors; validation subjects come from training subjects only', async () => {
  await initBackend();
  const c = tiny();
  const tensorsBefore = tf.memory().numTensors;
  const a = await trainTwoStage(c, { runDir: path.join(cacheDir, 'det-a'), cacheDir });
  const b = await trainTwoStage(c, { runDir: path.join(cacheDir, 'det-b'), cacheDir });
  const strip = (h: typeof a.results.history) => [...h.stage1, ...h.stage2].map(({ seconds: _s, ...rest }) => rest);
  assert.deepEqual(strip(b.results.history), strip(a.results.history));
  assert.deepEqual(b.results.metrics, a.results.metrics);
  assert.deepEqual(b.results.curves, a.results.curves);
  assert.equal(a.results.history.stage2.length, c.stage2.epochs);
  // a different seed is a different run
  const other = await trainTwoStage({ ...c, seed: 2 }, { runDir: path.join(cacheDir, 'det-c'), cacheDir });
  assert.notDeepEqual(strip(other.results.history), strip(a.results.history));

  const d = a.results.data;
  assert.deepEqual([...d.testSubjects].sort(), [...DISFA_FOLDS[c.fold - 1]].sort());
  for (const s of d.valSubjects) {
    assert.ok(!d.testSubjects.includes(s), `validation subject ${s} is in the test fold`);
    assert.ok(!d.trainSubjects.includes(s), `validation subject ${s} is also a training subject`);
  }
  assert.equal(d.trainSubjects.length + d.valSubjects.length + d.testSubjects.length, 27);
  assert.equal(d.counts.testFrames, d.testSubjects.length * c.dataset.synthetic.frames);
  for (const r of [a, b, other]) disposeAuModel(r.model);
  assert.equal(tf.memory().numTensors, tensorsBefore, 'training leaked tensors');
});

test('--resume refuses a run directory whose config differs, naming the differing fields', async () => {
  await initBackend();
  const dir = path.join(cacheDir, 'resume-mismatch');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...tiny(), seed: 5, loss: 'bce' }));
  await assert.rejects(trainTwoStage(tiny(), { runDir: dir, resume: true, cacheDir }), /cannot resume with a different config \(differs in: loss, seed\)/);
});

test('posWeightCorrection leaves training unchanged and shifts the saved model and every score by -tau log(w)', async () => {
  await initBackend();
  const plain = tiny({ stage1: { ...PRESETS.tiny.stage1, epochs: 2 }, stage2: { ...PRESETS.tiny.stage2, epochs: 1 } });
  const corrected = { ...plain, posWeightCorrection: 1 };
  const a = await trainTwoStage(plain, { runDir: path.join(cacheDir, 'plain'), cacheDir });
  const b = await trainTwoStage(corrected, { runDir: path.join(cacheDir, 'corrected'), cacheDir });
  const noTime = (h: typeof a.results.history) => JSON.parse(JSON.stringify(h, (k, v) => (k === 'seconds' ? undefined : v)));
  assert.deepEqual(noTime(b.results.history), noTime(a.results.history), 'the same training (losses, validation) epoch by epoch');
  assert.notEqual(a.results.meta.runId, b.results.meta.runId);
  // the test scores: logit(b) - logit(a) = -log(w_k) for every frame, w_k from the training labels
  const rows = (dir: string) => fs.readFileSync(path.join(dir, 'test-scores.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const logit = (p: number) => Math.log(p / (1 - p));
  const K = plain.aus.length;
  const ra = rows(a.runDir), rb = rows(b.runDir);
  const shifts = Array.from({ length: K }, (_, k) => logit(Number(rb[0][3 + k])) - logit(Number(ra[0][3 + k])));
  assert.ok(shifts.every((s) => s <= 1e-6), `every shift is -log(w) <= 0: ${shifts}`);
  for (let i = 0; i < ra.length; i++) {
    for (let k = 0; k < K; k++) {
      const pa = Number(ra[i][3 + k]), pb = Number(rb[i][3 + k]);
      if (pa < 1e-4 || pa > 1 - 1e-4 || pb < 1e-4 || pb > 1 - 1e-4) continue; // the CSV's 6 significant digits
      assert.ok(Math.abs(logit(pb) - logit(pa) - shifts[k]) < 1e-3, `frame ${i} AU ${k}`);
    }
  }
  disposeAuModel(a.model);
  disposeAuModel(b.model);
});
