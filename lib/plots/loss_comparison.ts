import { floorAnnotations, floorTraces, hatchBelowFloor, seriesName } from './floor';
import { RUN_COLORS, axis, baseLayout, sortAus } from './theme';
import type { F1Series, PlotlyFigure } from './types';

/**
 * F1 per AU and the mean, one bar per loss (BCE, weighted BCE, LSEP, soft P*R) on the same backbone and fold.
 * Values are fractions in the input and percent on the chart; the mean bar is each series' `meanF1`. Series that
 * carry their all-positive floor get it drawn as a dash per AU (and on the mean), bars below it hatched.
 */
export function lossComparisonFigure(series: F1Series[], opts: { aus?: string[]; title?: string } = {}): PlotlyFigure {
  if (series.length === 0) throw new Error('lossComparisonFigure: no series');
  const aus = opts.aus ?? sortAus(Object.keys(series[0].perAu));
  const x = [...aus, 'mean'];
  const data = series.map((s, i) => ({
    type: 'bar',
    name: seriesName(s, false),
    x,
    y: [...aus.map((au) => (au in s.perAu ? 100 * s.perAu[au] : null)), 100 * s.meanF1],
    text: [...aus.map((au) => (au in s.perAu ? (100 * s.perAu[au]).toFixed(0) : '')), (100 * s.meanF1).toFixed(1)],
    textposition: 'outside',
    textfont: { size: 9 },
    marker: { color: RUN_COLORS[i % RUN_COLORS.length], ...hatchBelowFloor(s, x) },
  }));
  data.push(...(floorTraces(series, x) as typeof data));
  return {
    data,
    layout: baseLayout(opts.title ?? 'F1 by loss function (same backbone and fold)', {
      barmode: 'group',
      xaxis: axis('Action Unit'),
      yaxis: axis('F1 (%)', { range: [0, 105] }),
      shapes: [{ type: 'line', xref: 'x', yref: 'paper', x0: aus.length - 0.5, x1: aus.length - 0.5, y0: 0, y1: 1, line: { color: '#888', dash: 'dot' } }],
      annotations: floorAnnotations(series, x),
    }),
  };
}
