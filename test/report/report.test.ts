import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { FIGURE_NAMES, buildFigureSet, checkClaims, loadImagenetTop1, renderReport, runLabelCounts, type ReportInputs } from '../../lib/report';
import { loadBaselines } from '../../lib/metrics/baselines';
import { AUS, fakeRun } from './fixtures';

const flat = (x: number) => AUS.map(() => x);
const lossRuns = [
  fakeRun({ loss: 'bce', f1: flat(0.3) }),
  fakeRun({ loss: 'bce-weighted', f1: flat(0.35) }),
  fakeRun({ loss: 'lsep', f1: flat(0.4) }),
  // L_pr better on 7 AUs, worse on AU25 (index 6): the paper's pattern.
  fakeRun({ loss: 'pr', f1: [0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.2, 0.4] }),
];
const survey = [
  fakeRun({ task: 'backbone-survey', backbone: 'mobilenet_v1', loss: 'lsep', f1: flat(0.5) }),
  fakeRun({ task: 'backbone-survey', backbone: 'mobilenet_v2', loss: 'lsep', f1: flat(0.3) }),
  fakeRun({ task: 'backbone-survey', backbone: 'densenet121', loss: 'lsep', f1: flat(0.2) }),
  fakeRun({ task: 'backbone-survey', backbone: 'densenet201', loss: 'lsep', f1: flat(0.45) }),
];
const inputs: ReportInputs = {
  lossComparison: lossRuns,
  backboneSurvey: survey,
  transferStages: [fakeRun({ task: 'transfer-stages', loss: 'pr', f1: flat(0.4), stage1Seconds: 1, stage2Seconds: 30 })],
  throughput: {
    kind: 'fer-au-throughput', version: 1, date: '2026-01-01', backend: 'cpu', threads: 1, inputSize: 96, batchSize: 8, trainBatchSize: 4, iterations: 3,
    rows: [
      { backbone: 'mobilenet_v1', name: 'MobileNet-v1', forward: 40, train: 10, params: 1, multAdds: 1 },
      { backbone: 'mobilenet_v2', name: 'MobileNet-v2', forward: 50, train: 12, params: 1, multAdds: 1 },
      { backbone: 'densenet121', name: 'DenseNet-121', forward: 10, train: 3, params: 1, multAdds: 1 },
      { backbone: 'densenet201', name: 'DenseNet-201', forward: 6, train: 2, params: 1, multAdds: 1 },
    ],
  },
  baselines: loadBaselines(),
};

test('the figure set has every figure when every run is there, and names what is missing otherwise', () => {
  const { figures, missing } = buildFigureSet(inputs);
  assert.deepEqual(figures.map((f) => f.name), [...FIGURE_NAMES]);
  assert.deepEqual(missing, []);
  const none = buildFigureSet({ lossComparison: [], backboneSurvey: [], transferStages: [], throughput: null });
  assert.deepEqual(none.figures.map((f) => f.name), ['backbone-bubble']);
  assert.equal(none.missing.length, 5);
});

test('the Fig. 3 figure carries every published row with per-AU values and our four backbones', () => {
  const fig = buildFigureSet(inputs).figures.find((f) => f.name === 'backbone-f1')!.figure;
  const withPerAu = loadBaselines().rows.filter((r) => r.perAu !== null);
  assert.equal(fig.data.filter((t) => t.type === 'bar').length, withPerAu.length + 4);
  assert.deepEqual(fig.data.filter((t) => t.type === 'scatter').map((t) => t.name), ['all-positive F1 (floor)']);
  const eac = fig.data.find((t) => String(t.name).startsWith('EAC-Net'))!;
  assert.deepEqual(eac.y, [41.5, 26.4, 66.4, 50.7, 80.5, 89.3, 88.9, 15.6]);
  assert.equal(eac.name, 'EAC-Net (48.5 reported)');
});

test('label counts of a run add train, validation and test', () => {
  const c = runLabelCounts(lossRuns[0]);
  assert.equal(c.frames, 200);
  assert.equal(c.positives.AU01, 3);
  assert.equal(c.positives.AU26, 24);
});

test('claims get verdicts with the numbers behind them; one fold and seed gives no interval', () => {
  const claims = checkClaims(inputs);
  const byId = Object.fromEntries(claims.map((c) => [c.id, c])); // the last row of each claim
  assert.equal(byId.params.status, 'reproduced');
  assert.match(byId.params.evidence, /MobileNet-v2 2\.26M, MobileNet-v1 3\.23M, DenseNet-121 7\.04M, DenseNet-201 18\.32M/);
  assert.equal(byId.speed.status, 'reproduced'); // slowest MobileNet 40 / fastest DenseNet 10 = 4x
  assert.match(byId.speed.evidence, /= 4\.00x/);
  assert.equal(byId['beats-specialised'].status, 'untestable without DISFA');
  // Every run comparison rests on the single unit (fold 1, seed 1) of these fixtures: a difference, no interval.
  const pr = claims.filter((c) => c.id === 'pr-gain');
  assert.deepEqual(pr.map((c) => c.judgedBy), ['F1 at 0.5', 'F1 at validation-tuned thresholds', 'AP']);
  assert.ok(pr.every((c) => c.status === 'inconclusive' && c.difference === '+7.5 [1 pair, no interval]'));
  assert.equal(claims.find((c) => c.id === 'best-backbones')!.status, 'inconclusive');
});

test('claims without runs are not run, and the facts are still checked', () => {
  const empty = checkClaims({ lossComparison: [], backboneSurvey: [], transferStages: [], throughput: null });
  assert.equal(empty.length, 2 + 3 + 1 + 3 + 3 + 3 + 3 + 3);
  assert.deepEqual([...new Set(empty.map((c) => c.status))], ['reproduced', 'not run']);
  assert.equal(empty[0].id, 'params');
});

test('on DISFA results the comparison with specialised networks becomes testable', () => {
  // Our mean F1 .60 .62 .64 over three folds against LP-Net's 56.9 (the best of the three): +5.1 [+0.1, +10.1].
  const disfa = ['mobilenet_v1', 'densenet201'].flatMap((backbone) =>
    ([1, 2, 3] as const).map((fold, i) => {
      const r = fakeRun({ task: 'backbone-survey', backbone, loss: 'lsep', f1: flat([0.6, 0.62, 0.64][i]), disfa: true });
      return { ...r, config: { ...r.config, fold }, data: { ...r.data, fold } };
    }),
  );
  const c = checkClaims({ ...inputs, backboneSurvey: disfa }).find((x) => x.id === 'beats-specialised')!;
  assert.equal(c.status, 'reproduced');
  assert.equal(c.difference, '+5.1 [+0.1, +10.1], +5.1 [+0.1, +10.1]');
});

test('the report warns about synthetic data and links every figure', () => {
  const { figures } = buildFigureSet(inputs);
  const written = figures.map((figure) => ({ figure, files: { png: `/r/figures/${figure.name}.png`, html: `/r/figures/${figure.name}.html` } }));
  const md = renderReport(inputs, written, checkClaims(inputs), [], { command: 'test', reportDir: '/r' });
  // The header names what the report was built from (the runs' commits), never the time: reruns are byte-identical.
  const runs = new Set([...inputs.lossComparison, ...inputs.backboneSurvey, ...inputs.transferStages].map((r) => r.meta.runId + r.config.task)).size;
  assert.ok(md.includes(`Built by \`test\` from ${runs} results files (made at git unknown (${runs} runs)).`), md.slice(0, 400));
  assert.doesNotMatch(md, /\d{4}-\d\d-\d\dT\d\d:/);
  assert.equal(renderReport(inputs, written, checkClaims(inputs), [], { command: 'test', reportDir: '/r' }), md);
  assert.match(md, /\*\*Data: synthetic DISFA\*\*/);
  assert.match(md, /!\[[^\]]+\]\(figures\/pr-curves\.png\)/);
  assert.match(md, /\[interactive HTML\]\(figures\/backbone-f1\.html\)/);
  assert.match(md, /\| MobileNet-v1 \(synthetic DISFA, fold 1\) \| 50\.0 \|/);
  assert.match(md, /untestable without DISFA/);
});

test('the ImageNet manifest cites a source for every number', () => {
  for (const r of loadImagenetTop1().rows) {
    assert.ok(r.top1Source.length > 10 && r.multAddsSource.length > 10 && r.paramsSource.length > 10, r.name);
  }
});
