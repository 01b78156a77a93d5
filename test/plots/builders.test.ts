import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  backboneBubbleFigure,
  labelFrequencyFigure,
  learningCurvesFigure,
  lossComparisonFigure,
  perAuF1Figure,
  prCurvesFigure,
  throughputFigure,
  type PlotlyTrace,
} from '../../lib/plots';
import { SMALL_BASELINES, smallRun } from './fixtures/runs';

const bce = smallRun('bce', [0.3, 0.2, 0.6]);
const pr = smallRun('pr', [0.4, 0.25, 0.55]);

function ys(t: PlotlyTrace): unknown[] {
  return t.y as unknown[];
}

test('per-AU F1 figure has one bar trace per baseline and per run, in percent, baselines first', () => {
  const fig = perAuF1Figure([{ label: 'ours', perAu: { AU01: 0.3, AU02: 0.2, AU04: 0.6 }, meanF1: 0.3667 }], SMALL_BASELINES);
  assert.equal(fig.data.length, 3);
  assert.ok(fig.data.every((t) => t.type === 'bar'));
  assert.deepEqual(fig.data[0].x, ['AU01', 'AU02', 'AU04']);
  assert.deepEqual(ys(fig.data[0]), [41.5, 26.4, 66.4]);
  assert.deepEqual(ys(fig.data[1]), [43.7, 46.2, 56.0]);
  const ours = ys(fig.data[2]) as number[];
  [30, 20, 60].forEach((v, i) => assert.ok(Math.abs(ours[i] - v) < 1e-9));
  assert.equal(fig.layout.barmode, 'group');
});

test('per-AU F1 legend shows the reported average and marks it when it differs from the per-AU mean', () => {
  const fig = perAuF1Figure([], SMALL_BASELINES);
  // EAC-Net's three values average 44.77, its reported average is 48.5; JAA-Net's three average 48.63 (56.0 over 8 AUs).
  assert.equal(fig.data[0].name, 'EAC-Net (48.5 reported)');
  assert.equal(fig.data[1].name, 'JAA-Net (56.0 reported)');
  // A reported average within 0.5 of the per-AU mean is shown unmarked.
  assert.equal(perAuF1Figure([], [{ ...SMALL_BASELINES[1], averageReported: 48.6 }]).data[0].name, 'JAA-Net (48.6)');
});

test('a baseline without an AU gets a gap (null), not a zero bar', () => {
  const fig = perAuF1Figure([{ label: 'ours', perAu: { AU01: 0.5, AU26: 0.5 }, meanF1: 0.5 }], SMALL_BASELINES);
  assert.deepEqual(ys(fig.data[0]), [41.5, null]);
});

test('PR curves figure draws one curve and one operating point per AU per panel, with F1 and AP in the legend', () => {
  const fig = prCurvesFigure([{ label: '(a) BCE', run: bce }, { label: '(b) P*R', run: pr }]);
  const lines = fig.data.filter((t) => t.mode === 'lines');
  const points = fig.data.filter((t) => t.mode === 'markers');
  assert.equal(lines.length, 6);
  assert.equal(points.length, 6);
  assert.deepEqual(lines[0].x, bce.curves!.AU01.recall);
  assert.deepEqual(lines[0].y, bce.curves!.AU01.precision);
  assert.equal(lines[0].name, 'AU01: F1 30.0, AP 30.0');
  assert.equal(lines[3].xaxis, 'x2');
  assert.equal(lines[3].name, 'AU01: F1 40.0, AP 30.0');
  assert.deepEqual(points[0].x, [0.4]);
  assert.deepEqual(points[0].y, [0.5]);
  assert.ok('xaxis2' in fig.layout && 'legend2' in fig.layout);
});

test('PR curves figure rejects a run without curves, naming it', () => {
  const noCurves = { ...bce, curves: undefined };
  assert.throws(() => prCurvesFigure([{ label: 'bare', run: noCurves }]), /run 'bare' has no curves/);
});

test('learning curves continue epoch numbers into stage 2 and plot F1 in percent on the right axis', () => {
  const fig = learningCurvesFigure(bce);
  const names = fig.data.map((t) => t.name);
  assert.deepEqual(names, [
    'train loss (stage 1)', 'val loss (stage 1)', 'val mean F1 (stage 1)',
    'train loss (stage 2)', 'val loss (stage 2)', 'val mean F1 (stage 2)',
  ]);
  assert.deepEqual(fig.data[0].x, [1, 2]);
  assert.deepEqual(fig.data[3].x, [3, 4]);
  assert.deepEqual(ys(fig.data[3]), [0.6, 0.5]);
  assert.deepEqual(ys(fig.data[5]), [35, 40]);
  assert.equal(fig.data[5].yaxis, 'y2');
  const shapes = fig.layout.shapes as { x0: number; x1: number }[];
  assert.deepEqual([shapes[0].x0, shapes[0].x1], [2.5, 4.5]);
});

test('backbone bubble chart splits selected and other networks with bubble area = parameters', () => {
  const fig = backboneBubbleFigure([
    { name: 'MobileNet', top1: 70.4, gMultAdds: 0.569, paramsM: 4.3, selected: true },
    { name: 'DenseNet201', top1: 77.1, gMultAdds: 4.29, paramsM: 20.2, selected: true },
    { name: 'VGG19', top1: 71.3, gMultAdds: 19.6, paramsM: 143.7, selected: false },
  ]);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [0.569, 4.29]);
  assert.deepEqual(ys(fig.data[0]), [70.4, 77.1]);
  const marker = fig.data[1].marker as { size: number[]; sizemode: string };
  assert.deepEqual(marker.size, [143.7]);
  assert.equal(marker.sizemode, 'area');
  assert.equal((fig.layout.xaxis as { type: string }).type, 'log');
});

test('throughput figure has forward and training bars with the measured numbers', () => {
  const fig = throughputFigure([{ name: 'a', forward: 10, train: 3 }, { name: 'b', forward: 5 }]);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [10, 5]);
  assert.deepEqual(fig.data[1].x, [3, 0]);
});

test('loss comparison has one trace per loss with the mean as the last bar', () => {
  const fig = lossComparisonFigure([
    { label: 'bce', perAu: { AU01: 0.3, AU02: 0.2, AU04: 0.6 }, meanF1: 0.35 },
    { label: 'pr', perAu: { AU01: 0.4, AU02: 0.25, AU04: 0.55 }, meanF1: 0.4 },
  ]);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[1].x, ['AU01', 'AU02', 'AU04', 'mean']);
  const y = ys(fig.data[1]) as number[];
  [40, 25, 55, 40].forEach((v, i) => assert.ok(Math.abs(y[i] - v) < 1e-9));
});

test('label frequency compares percentages of frames, so sets of different sizes line up', () => {
  const fig = labelFrequencyFigure([
    { label: 'synthetic', positives: { AU01: 50, AU02: 25 }, frames: 1000 },
    { label: 'DISFA (Table 1)', positives: { AU01: 6506, AU02: 5644 }, frames: 130814 },
  ]);
  assert.equal(fig.data.length, 2);
  assert.deepEqual(ys(fig.data[0]), [5, 2.5]);
  const disfa = ys(fig.data[1]) as number[];
  assert.ok(Math.abs(disfa[0] - (100 * 6506) / 130814) < 1e-12);
  assert.throws(() => labelFrequencyFigure([{ label: 'empty', positives: {}, frames: 0 }]), /'empty' has frames=0/);
});

test('figures are plain JSON (survive a JSON round trip unchanged)', () => {
  const fig = prCurvesFigure([{ label: 'a', run: bce }]);
  assert.deepEqual(JSON.parse(JSON.stringify(fig)), fig);
});
