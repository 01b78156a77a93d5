import { floorAnnotations, floorTraces, hatchBelowFloor, seriesName } from './floor';
import { BASELINE_COLORS, RUN_COLORS, axis, baseLayout, sortAus } from './theme';
import type { PerAuBaselineRow } from '../metrics/baselines';
import type { F1Series, PlotlyFigure } from './types';

export type { F1Series } from './types';

/**
 * Per-AU F1 as grouped bars, our runs beside published baselines: the paper's Fig. 3.
 * Our F1 (fractions) and the baselines (percent) are both shown in percent. AUs on the x axis are `aus`
 * (default: the AUs of the first run, by AU number); a baseline missing an AU gets no bar there. The legend
 * gives each series' mean (for baselines the reported average, marked when it differs from the mean of the
 * per-AU values, as with EAC-Net). Runs that carry their all-positive floor get it drawn as a dash per AU, bars
 * below it hatched, and "below floor" in the legend when their mean is.
 */
export function perAuF1Figure(
  runs: F1Series[],
  baselines: PerAuBaselineRow[] = [],
  opts: { aus?: string[]; title?: string } = {},
): PlotlyFigure {
  if (runs.length === 0 && baselines.length === 0) throw new Error('perAuF1Figure: no runs and no baselines to plot');
  const aus = opts.aus ?? sortAus(runs.length > 0 ? Object.keys(runs[0].perAu) : Object.keys(baselines[0].perAu));
  const data = [
    ...baselines.map((b, i) => {
      const ys = aus.map((au) => (au in b.perAu ? b.perAu[au] : null));
      const vals = ys.filter((v): v is number => v !== null);
      const mean = vals.reduce((s, v) => s + v, 0) / Math.max(1, vals.length);
      const avg = b.averageReported;
      const note = Math.abs(b.averageReported - mean) > 0.5 ? ' reported' : '';
      return {
        type: 'bar',
        name: `${b.method} (${avg.toFixed(1)}${note})`,
        x: aus,
        y: ys,
        marker: { color: BASELINE_COLORS[i % BASELINE_COLORS.length] },
        hovertemplate: `${b.method}<br>%{x}: %{y:.1f}%<extra>${b.source}</extra>`,
      };
    }),
    ...runs.map((r, i) => ({
      type: 'bar',
      name: seriesName(r),
      x: aus,
      y: aus.map((au) => (au in r.perAu ? 100 * r.perAu[au] : null)),
      marker: { color: RUN_COLORS[i % RUN_COLORS.length], ...hatchBelowFloor(r, aus) },
      hovertemplate: `${r.label}<br>%{x}: %{y:.1f}%<extra></extra>`,
    })),
    ...floorTraces(runs, aus),
  ];
  return {
    data,
    layout: baseLayout(opts.title ?? 'Per-AU F1 on DISFA protocol: this project vs published methods', {
      barmode: 'group',
      bargap: 0.18,
      bargroupgap: 0.04,
      xaxis: axis('Action Unit'),
      yaxis: axis('F1 (%)', { range: [0, 100] }),
      legend: { orientation: 'h', x: 0, y: -0.16, yanchor: 'top', font: { size: 11 } },
      height: 560,
      margin: { l: 64, r: 24, t: 56, b: 130 },
      annotations: floorAnnotations(runs, aus),
    }),
  };
}
