import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureRun, ensureRuns, findExistingRun, lossComparisonExperiments, backboneSurveyExperiments, resultsFileFor, resultsOf } from '../../lib/experiments';
import { writeResults } from '../../lib/results';
import { runId } from '../../lib/train/run_id';
import { AUS, fakeRun } from '../report/fixtures';

function tmpResults(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-ensure-'));
}

test('a results file with the same config is reused, from its own task folder or another', async () => {
  const dir = tmpResults();
  try {
    const [bce] = lossComparisonExperiments();
    const run = fakeRun({ loss: 'bce', f1: AUS.map(() => 0.3) });
    assert.deepEqual(run.config, bce); // the fixture's config is the experiment's
    writeResults(resultsFileFor(bce, dir), run);
    const found = await ensureRun(bce, { resultsDir: dir, noRun: true });
    assert.equal(found?.reused, true);
    assert.equal(found?.file, path.join(dir, 'loss-comparison', `${runId(bce)}.json`));
    assert.match(path.basename(found!.file), /^quick-mobilenet_v1-bce-fold1-seed1-128px-[0-9a-f]{10}\.json$/);
    // Same settings under another task: found in the loss-comparison folder.
    const elsewhere = findExistingRun({ ...bce, task: 'transfer-stages' }, dir);
    assert.equal(elsewhere?.file, found?.file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a results file with a different config is not reused, and noRun reports it missing', async () => {
  const dir = tmpResults();
  try {
    const [bce] = lossComparisonExperiments();
    writeResults(resultsFileFor(bce, dir), fakeRun({ loss: 'bce', f1: AUS.map(() => 0.3) }));
    const changed = { ...bce, stage2: { ...bce.stage2, learningRate: bce.stage2.learningRate * 10 } };
    assert.equal(findExistingRun(changed, dir), null);
    const statuses: string[] = [];
    const runs = await ensureRuns([bce, changed], { resultsDir: dir, noRun: true, onRun: (e) => statuses.push(e.status) });
    assert.deepEqual(statuses, ['reused', 'missing']);
    assert.equal(runs[1], null);
    assert.equal(resultsOf(runs).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the light backbone survey keeps 32 frames per subject at 96 px and stage 1 only; the paper preset keeps everything', () => {
  const quick = backboneSurveyExperiments();
  assert.deepEqual(quick.map((c) => c.backbone), ['mobilenet_v1', 'mobilenet_v2', 'densenet121', 'densenet201']);
  assert.ok(quick.every((c) => c.dataset.framesPerSubject === 32 && c.inputSize === 96 && c.stage2.epochs === 0 && c.loss === 'lsep'));
  // the quick preset fine-tunes the whole backbone (unfreezeFrom null), which every backbone keeps
  assert.deepEqual(quick.map((c) => c.stage2.unfreezeFrom), [null, null, null, null]);
  assert.deepEqual(quick.map((c) => c.weights), ['embedded', 'embedded', null, null]);
  const { PRESETS } = require('../../lib/train/presets') as typeof import('../../lib/train/presets');
  const paper = backboneSurveyExperiments(PRESETS.paper);
  assert.ok(paper.every((c) => c.dataset.framesPerSubject === PRESETS.paper.dataset.framesPerSubject && c.stage2.epochs === PRESETS.paper.stage2.epochs && c.inputSize === 224));
  assert.deepEqual(paper.map((c) => c.stage2.unfreezeFrom), PRESETS.paper.stage2.unfreezeFrom === null ? [null, null, null, null] : ['conv_dw_12', 'block_15_', 'conv5_block15_', 'conv5_block31_']);
});

test('the report reads other folds that have results files but never trains them', async () => {
  const { gatherReportInputs } = await import('../../lib/report');
  const dir = tmpResults();
  try {
    // bce on folds 1 and 3 exists; nothing else. Without --run-missing nothing trains; fold 3 joins fold 1.
    for (const fold of [1, 3] as const) {
      const [bce] = lossComparisonExperiments(undefined, { folds: [fold] });
      const r = fakeRun({ loss: 'bce', f1: AUS.map(() => 0.1 * fold) });
      writeResults(resultsFileFor(bce, dir), { ...r, config: JSON.parse(JSON.stringify(bce)) as Record<string, unknown>, data: { ...r.data, fold } });
    }
    const inputs = await gatherReportInputs({ resultsDir: dir, throughput: false, outDir: path.join(dir, 'figures') });
    assert.deepEqual(inputs.lossComparison.map((r) => r.data.fold), [1, 3]);
    assert.deepEqual(inputs.backboneSurvey, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the light loss comparison trains heads only; transfer stages fine-tune; initialisation is the random-weights twin', async () => {
  const { PRESETS } = await import('../../lib/train/presets');
  const { transferStagesExperiments, initialisationExperiments } = await import('../../lib/experiments');
  assert.ok(lossComparisonExperiments().every((c) => c.stage2.epochs === 0 && c.inputSize === PRESETS.quick.inputSize));
  assert.ok(lossComparisonExperiments(PRESETS.paper).every((c) => c.stage2.epochs === PRESETS.paper.stage2.epochs));
  const [main] = transferStagesExperiments(undefined, { folds: [2], seeds: [3] });
  assert.deepEqual([main.loss, main.stage2.epochs, main.fold, main.seed, main.weights], [PRESETS.quick.loss, PRESETS.quick.stage2.epochs, 2, 3, 'embedded']);
  const [twin] = initialisationExperiments(undefined, { folds: [2], seeds: [3] });
  // the same run but for the weights and BatchNorm, which a network trained from scratch needs in training mode
  const { preciseBatchNorm, ...twinStage2 } = twin.stage2;
  assert.deepEqual({ ...twin, task: main.task, weights: main.weights, stage2: { ...twinStage2, freezeBatchNorm: main.stage2.freezeBatchNorm, headBatchNorm: main.stage2.headBatchNorm } }, main);
  assert.deepEqual([twin.weights, twin.stage2.freezeBatchNorm, twin.stage2.headBatchNorm, preciseBatchNorm], [null, false, 'train', true]);
  assert.equal('preciseBatchNorm' in main.stage2, false);
  assert.deepEqual([main.stage2.freezeBatchNorm, main.stage2.headBatchNorm], [true, 'frozen']);
});

test('experiments ask for several seeds: every run repeats per seed with its own id', () => {
  const runs = lossComparisonExperiments(undefined, { folds: [1, 2], seeds: [1, 2, 3] });
  assert.equal(runs.length, 4 * 2 * 3);
  assert.deepEqual([...new Set(runs.map((c) => c.seed))], [1, 2, 3]);
  assert.equal(new Set(runs.map(runId)).size, runs.length);
  assert.deepEqual(backboneSurveyExperiments(undefined, { seeds: [5] }).map((c) => c.seed), [5, 5, 5, 5]);
  assert.deepEqual(lossComparisonExperiments().map((c) => c.seed), [1, 1, 1, 1]);
});
