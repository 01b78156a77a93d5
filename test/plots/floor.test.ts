import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { learningCurvesFigure, lossComparisonFigure, perAuF1Figure, type F1Series } from '../../lib/plots';
import { allPositiveFloor } from '../../lib/plots/floor';
import { readResults } from '../../lib/results';
import { smallRun } from './fixtures/runs';

// 100 test frames; AU01 in 25 (p = .25 -> F1 = 2(.25)/1.25 = .4), AU02 in 10 (p = .1 -> .2/1.1 = .181818...),
// AU04 never (0): mean (.4 + .181818 + 0) / 3 = .193939...
const run = { ...smallRun('bce', [0.3, 0.2, 0.6]), data: { dataset: 'disfa', fold: 1, counts: { testFrames: 100, testPositives: { AU01: 25, AU02: 10, AU04: 0 } } } };

test('the all-positive floor is 2p / (1 + p) per AU from the test counts, 0 for an AU that never occurs', () => {
  const f = allPositiveFloor(run);
  assert.ok(Math.abs(f.perAu.AU01 - 0.4) < 1e-12);
  assert.ok(Math.abs(f.perAu.AU02 - 0.2 / 1.1) < 1e-12);
  assert.equal(f.perAu.AU04, 0);
  assert.ok(Math.abs(f.meanF1 - (0.4 + 0.2 / 1.1) / 3) < 1e-12);
  assert.throws(() => allPositiveFloor(smallRun('bce', [0.3, 0.2, 0.6])), /no data\.counts/);
});

test('the floor from the counts equals the baseline lib/train wrote into every committed results file', () => {
  const dir = path.join(__dirname, '..', '..', 'results');
  const files = ['loss-comparison', 'backbone-survey'].flatMap((t) =>
    fs.existsSync(path.join(dir, t)) ? fs.readdirSync(path.join(dir, t)).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, t, f)) : [],
  );
  assert.ok(files.length > 0);
  for (const file of files) {
    const r = readResults(file);
    const f = allPositiveFloor(r);
    for (const [au, b] of Object.entries(r.metrics.baseline.allPositive.perAu)) assert.ok(Math.abs(f.perAu[au] - b.f1) < 1e-12, `${file} ${au}`);
  }
});

const floor = { AU01: 0.4, AU02: 0.2, AU04: 0.5 };
// AU01 .3 < .4 and AU04 .45 < .5 are below; AU02 .25 is above; mean .3333 vs floor mean .3667: below.
const low: F1Series = { label: 'bce', perAu: { AU01: 0.3, AU02: 0.25, AU04: 0.45 }, meanF1: 1 / 3, floor, floorMean: 1.1 / 3 };
const high: F1Series = { label: 'pr', perAu: { AU01: 0.5, AU02: 0.3, AU04: 0.6 }, meanF1: 1.4 / 3, floor, floorMean: 1.1 / 3 };

test('bars below the floor are hatched, the floor is drawn once as dashes, and the legend says below floor', () => {
  const fig = perAuF1Figure([low, high]);
  const bars = fig.data.filter((t) => t.type === 'bar');
  assert.deepEqual((bars[0].marker as { pattern: { shape: string[] } }).pattern.shape, ['/', '', '/']);
  assert.equal((bars[1].marker as { pattern?: unknown }).pattern, undefined);
  assert.equal(bars[0].name, 'bce (33.3, below floor)');
  assert.equal(bars[1].name, 'pr (46.7)');
  const dashes = fig.data.filter((t) => t.type === 'scatter');
  assert.equal(dashes.length, 1);
  assert.equal(dashes[0].name, 'all-positive F1 (floor)');
  assert.deepEqual(dashes[0].y, [40, 20, 50]);
  assert.match(String((fig.layout.annotations as { text: string }[])[0].text), /hatched: below the all-positive F1/);
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
});

test('the loss comparison hatches the mean bar too and draws the floor of the mean', () => {
  const fig = lossComparisonFigure([low, high]);
  assert.deepEqual((fig.data[0].marker as { pattern: { shape: string[] } }).pattern.shape, ['/', '', '/', '/']);
  assert.equal(fig.data[0].name, 'bce (below floor)');
  const dash = fig.data.find((t) => t.type === 'scatter')!;
  const y = dash.y as number[];
  [40, 20, 50, 110 / 3].forEach((v, i) => assert.ok(Math.abs(y[i] - v) < 1e-9));
  // Without floors nothing changes: no dashes, no pattern, no note.
  const plain = lossComparisonFigure([{ label: 'x', perAu: { AU01: 0.1 }, meanF1: 0.1 }]);
  assert.equal(plain.data.length, 1);
  assert.deepEqual(plain.layout.annotations, []);
});

test('learning curves draw the validation all-positive floor on the F1 axis', () => {
  // 40 validation frames; AU01 in 10 (p = .25 -> .4), AU02 in 4 (p = .1 -> .181818), AU04 none: mean .193939 -> 19.4.
  const r = { ...smallRun('bce', [0.3, 0.2, 0.6]), data: { counts: { testFrames: 1, testPositives: {}, valFrames: 40, valPositives: { AU01: 10, AU02: 4, AU04: 0 } } } };
  const line = learningCurvesFigure(r).data.find((t) => String(t.name).startsWith('all-positive F1, validation'))!;
  assert.equal(line.name, 'all-positive F1, validation (19.4)');
  assert.equal(line.yaxis, 'y2');
  assert.ok(Math.abs((line.y as number[])[0] - (100 * (0.4 + 0.2 / 1.1)) / 3) < 1e-9);
  assert.equal(learningCurvesFigure(smallRun('bce', [0.3, 0.2, 0.6])).data.filter((t) => String(t.name).startsWith('all-positive')).length, 0);
});
