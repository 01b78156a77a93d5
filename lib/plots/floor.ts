/**
 * The all-positive floor: the F1 of predicting every AU present in every test frame. For an AU with positive rate
 * p on the test frames, precision = p and recall = 1, so F1 = 2p / (1 + p) (0 when the AU never occurs). A run
 * below it has learned nothing usable about that AU; tables and figures flag it.
 */
import type { F1Series, PlotlyTrace, RunResultLike } from './types';

/** Per-AU all-positive F1 and its mean over the run's AUs, from the test counts of a results file. */
export function allPositiveFloor(run: RunResultLike): { perAu: Record<string, number>; meanF1: number } {
  const counts = run.data?.counts;
  if (!counts) throw new Error(`allPositiveFloor: the results file has no data.counts (testFrames, testPositives)`);
  const aus = Object.keys(run.metrics.perAu);
  const perAu: Record<string, number> = {};
  for (const au of aus) {
    const pos = counts.testPositives[au];
    if (typeof pos !== 'number') throw new Error(`allPositiveFloor: data.counts.testPositives.${au} missing`);
    const p = counts.testFrames > 0 ? pos / counts.testFrames : 0;
    perAu[au] = p === 0 ? 0 : (2 * p) / (1 + p);
  }
  return { perAu, meanF1: aus.length ? aus.reduce((a, au) => a + perAu[au], 0) / aus.length : 0 };
}

/** True when `value` is below `floor` by more than float noise (1e-9). */
export function belowFloor(value: number, floor: number | undefined): boolean {
  return floor !== undefined && value < floor - 1e-9;
}

/** The value and floor of a series at an x category ('mean' = the mean bar). */
function at(s: F1Series, key: string): { value: number | undefined; floor: number | undefined } {
  return key === 'mean' ? { value: s.meanF1, floor: s.floorMean } : { value: s.perAu[key], floor: s.floor?.[key] };
}

/** A bar marker pattern hatching the bars of `s` below its floor; {} when it has no floor or none is below. */
export function hatchBelowFloor(s: F1Series, x: string[]): { pattern?: Record<string, unknown> } {
  const shape = x.map((key) => {
    const { value, floor } = at(s, key);
    return value !== undefined && belowFloor(value, floor) ? '/' : '';
  });
  return shape.some((v) => v) ? { pattern: { shape, fillmode: 'overlay', fgcolor: '#000000', solidity: 0.35 } } : {};
}

/** A series' legend name: 'label (mean)' with the mean (or 'label' alone), and ', below floor' when the mean is. */
export function seriesName(s: F1Series, withMean = true): string {
  const below = belowFloor(s.meanF1, s.floorMean) ? ' below floor' : '';
  if (!withMean) return below ? `${s.label} (${below.trim()})` : s.label;
  return `${s.label} (${(100 * s.meanF1).toFixed(1)}${below ? `,${below}` : ''})`;
}

/**
 * The floors as dashes (one scatter trace per distinct floor, in percent; series on the same test frames share
 * one), at every x category the series have a floor for.
 */
export function floorTraces(series: F1Series[], x: string[]): PlotlyTrace[] {
  const seen = new Map<string, F1Series[]>();
  for (const s of series.filter((v) => v.floor)) {
    const key = JSON.stringify(x.map((k) => at(s, k).floor ?? null));
    seen.set(key, [...(seen.get(key) ?? []), s]);
  }
  return [...seen.values()].map((group) => ({
    type: 'scatter',
    mode: 'markers',
    name: seen.size === 1 ? 'all-positive F1 (floor)' : `all-positive F1 (${group.map((s) => s.label).join(', ')})`,
    x,
    y: x.map((k) => {
      const f = at(group[0], k).floor;
      return f === undefined ? null : 100 * f;
    }),
    marker: { symbol: 'line-ew-open', size: 34, color: '#222222', line: { width: 2.5, color: '#222222' } },
    hovertemplate: 'all-positive F1<br>%{x}: %{y:.1f}%<extra></extra>',
  }));
}

/** A note under the title when any bar is hatched; [] otherwise. */
export function floorAnnotations(series: F1Series[], x: string[]): Record<string, unknown>[] {
  if (!series.some((s) => hatchBelowFloor(s, x).pattern)) return [];
  return [{
    text: 'hatched: below the all-positive F1 (dashes) of the same test frames',
    xref: 'paper', yref: 'paper', x: 1, y: 1.02, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 11, color: '#444' },
  }];
}
