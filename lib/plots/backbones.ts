import { BASELINE_COLORS, RUN_COLORS, axis, baseLayout } from './theme';
import type { PlotlyFigure } from './types';

/** One network in the Fig. 1-style chart (ImageNet top-1 against compute, bubble area = parameters). */
export interface BackbonePoint {
  name: string;
  /** ImageNet top-1 accuracy, percent. */
  top1: number;
  /** Multiply-adds per 224x224 image, in billions (what the MobileNet and ResNet papers call FLOPs). */
  gMultAdds: number;
  /** Parameters, in millions. */
  paramsM: number;
  /** True for the four backbones the paper selected (drawn in colour, the others grey). */
  selected: boolean;
  source?: string;
}

/**
 * ImageNet top-1 accuracy against multiply-adds (log axis), bubble area proportional to parameters: the
 * paper's Fig. 1 (after Canziani et al. / Bianco et al.), restricted to the networks whose numbers we can source.
 */
export function backboneBubbleFigure(points: BackbonePoint[], opts: { title?: string } = {}): PlotlyFigure {
  if (points.length === 0) throw new Error('backboneBubbleFigure: no points');
  const maxParams = Math.max(...points.map((p) => p.paramsM));
  const maxDiameter = 70; // px, for the largest network
  const sizeref = (2 * maxParams) / maxDiameter ** 2;
  const groups: [string, BackbonePoint[], string][] = [
    ['selected by the paper', points.filter((p) => p.selected), RUN_COLORS[0]],
    ['other networks', points.filter((p) => !p.selected), BASELINE_COLORS[0]],
  ];
  const data = groups
    .filter(([, pts]) => pts.length > 0)
    .map(([name, pts, color]) => ({
      type: 'scatter',
      mode: 'markers+text',
      name,
      x: pts.map((p) => p.gMultAdds),
      y: pts.map((p) => p.top1),
      text: pts.map((p) => `${p.name}<br>${p.paramsM.toFixed(1)}M`),
      // Selected labels above their bubbles, the others below, so neighbours do not collide.
      textposition: name === 'other networks' ? 'bottom center' : 'top center',
      customdata: pts.map((p) => [p.paramsM, p.source ?? '']),
      marker: { size: pts.map((p) => p.paramsM), sizemode: 'area', sizeref, sizemin: 4, color, opacity: 0.6, line: { color: '#333', width: 1 } },
      hovertemplate: '%{text}<br>%{x:.2f} G mult-adds<br>top-1 %{y:.1f}%<br>%{customdata[1]}<extra></extra>',
    }));
  const xs = points.map((p) => p.gMultAdds);
  const ys = points.map((p) => p.top1);
  return {
    data,
    layout: baseLayout(opts.title ?? 'ImageNet top-1 accuracy vs compute (bubble area = parameters)', {
      xaxis: axis('Multiply-adds per image (G, log scale)', {
        type: 'log',
        tickvals: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50],
        range: [Math.log10(Math.min(...xs) / 1.8), Math.log10(Math.max(...xs) * 1.8)],
      }),
      yaxis: axis('ImageNet top-1 (%)', { range: [Math.floor(Math.min(...ys) - 3), Math.ceil(Math.max(...ys) + 3)] }),
      height: 560,
      margin: { l: 64, r: 24, t: 56, b: 100 },
    }),
  };
}

/** Measured speed of one backbone on this machine's backend. */
export interface ThroughputRow {
  name: string;
  /** Inference images per second. */
  forward: number;
  /** Training images per second (forward + backward + update). */
  train?: number;
}

/** Measured forward and training throughput per backbone (images/s) as grouped horizontal bars. */
export function throughputFigure(rows: ThroughputRow[], opts: { title?: string; backend?: string } = {}): PlotlyFigure {
  if (rows.length === 0) throw new Error('throughputFigure: no rows');
  const names = rows.map((r) => r.name);
  const data = [
    { type: 'bar', name: 'forward (inference)', orientation: 'h', y: names, x: rows.map((r) => r.forward), marker: { color: RUN_COLORS[0] },
      text: rows.map((r) => r.forward.toFixed(1)), textposition: 'outside' },
  ];
  if (rows.some((r) => typeof r.train === 'number')) {
    data.push({ type: 'bar', name: 'training step', orientation: 'h', y: names, x: rows.map((r) => r.train ?? 0), marker: { color: RUN_COLORS[1] },
      text: rows.map((r) => (typeof r.train === 'number' ? r.train.toFixed(1) : '')), textposition: 'outside' });
  }
  const backend = opts.backend ? ` (${opts.backend} backend)` : '';
  return {
    data,
    layout: baseLayout(opts.title ?? `Measured throughput on this machine${backend}`, {
      barmode: 'group',
      xaxis: axis('Images per second', { rangemode: 'tozero' }),
      yaxis: axis('', { autorange: 'reversed' }),
      height: 420,
      margin: { l: 120, r: 48, t: 56, b: 100 },
    }),
  };
}
