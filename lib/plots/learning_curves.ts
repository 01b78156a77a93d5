import { RUN_COLORS, axis, baseLayout } from './theme';
import type { EpochRecord } from '../results/schema';
import type { PlotlyFigure, PlotlyTrace, RunResultLike } from './types';

/**
 * Learning curves of a two-stage run: training and validation loss (left axis) and validation mean F1 (right
 * axis, percent) against epoch, stage 2 epochs numbered on from stage 1, with stage 2 shaded.
 * Stage 1 trains the head on a frozen backbone; stage 2 fine-tunes (shared/design.md, fastai `fine_tune`).
 * With the validation counts in the file, the validation all-positive floor is a dotted line on the F1 axis.
 */
export function learningCurvesFigure(run: RunResultLike, opts: { title?: string } = {}): PlotlyFigure {
  const s1 = run.history?.stage1 ?? [];
  const s2 = run.history?.stage2 ?? [];
  if (s1.length + s2.length === 0) throw new Error('learningCurvesFigure: the run has no history');
  const n1 = s1.length;
  const data: PlotlyTrace[] = [];
  const stages: [string, EpochRecord[], number][] = [
    ['stage 1', s1, 0],
    ['stage 2', s2, n1],
  ];
  for (const [name, hist, offset] of stages) {
    if (hist.length === 0) continue;
    const x = hist.map((_, i) => offset + i + 1);
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `train loss (${name})`,
      x,
      y: hist.map((h) => h.loss),
      line: { color: RUN_COLORS[0] },
      marker: { symbol: name === 'stage 1' ? 'circle' : 'square' },
    });
    if (hist.some((h) => typeof h.valLoss === 'number')) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `val loss (${name})`,
        x,
        y: hist.map((h) => (typeof h.valLoss === 'number' ? h.valLoss : null)),
        line: { color: RUN_COLORS[1], dash: 'dash' },
        marker: { symbol: name === 'stage 1' ? 'circle' : 'square' },
      });
    }
    if (hist.some((h) => typeof h.valMeanF1 === 'number')) {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: `val mean F1 (${name})`,
        x,
        y: hist.map((h) => (typeof h.valMeanF1 === 'number' ? 100 * h.valMeanF1 : null)),
        yaxis: 'y2',
        line: { color: RUN_COLORS[2] },
        marker: { symbol: name === 'stage 1' ? 'circle' : 'square' },
      });
    }
  }
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const valFloor = validationFloor(run);
  if (valFloor !== null && data.some((t) => t.yaxis === 'y2')) {
    data.push({
      type: 'scatter', mode: 'lines', name: `all-positive F1, validation (${(100 * valFloor).toFixed(1)})`, yaxis: 'y2',
      x: [0.5, n1 + s2.length + 0.5], y: [100 * valFloor, 100 * valFloor], line: { color: RUN_COLORS[2], dash: 'dot', width: 1.5 },
    });
  }
  if (s2.length > 0) {
    shapes.push({
      type: 'rect', xref: 'x', yref: 'paper', x0: n1 + 0.5, x1: n1 + s2.length + 0.5, y0: 0, y1: 1,
      fillcolor: '#f2f2f2', line: { width: 0 }, layer: 'below',
    });
    annotations.push({ text: 'stage 2: fine-tuning', xref: 'x', yref: 'paper', x: n1 + 0.5 + s2.length / 2, y: 1, yanchor: 'bottom', showarrow: false });
  }
  if (n1 > 0) {
    annotations.push({ text: 'stage 1: head on frozen backbone', xref: 'x', yref: 'paper', x: 0.5 + n1 / 2, y: 1, yanchor: 'bottom', showarrow: false });
  }
  return {
    data,
    layout: baseLayout(opts.title ?? 'Learning curves: stage 1 (frozen backbone) then stage 2 (fine-tuning)', {
      // Whole epochs only; about 20 ticks at most.
      xaxis: axis('Epoch', { dtick: Math.max(1, Math.ceil((n1 + s2.length) / 20)), range: [0.5, n1 + s2.length + 0.5] }),
      yaxis: axis('Loss', { rangemode: 'tozero' }),
      yaxis2: axis('Validation mean F1 (%)', { overlaying: 'y', side: 'right', range: [0, 100], showgrid: false }),
      shapes,
      annotations,
      margin: { l: 64, r: 72, t: 80, b: 110 },
    }),
  };
}

/** Mean over the run's AUs of the all-positive F1 on the validation frames (2p / (1 + p)); null without counts. */
function validationFloor(run: RunResultLike): number | null {
  const c = run.data?.counts;
  if (!c || !c.valPositives || !c.valFrames) return null;
  const aus = Object.keys(run.metrics.perAu);
  const f = aus.map((au) => {
    const p = (c.valPositives![au] ?? 0) / c.valFrames!;
    return p === 0 ? 0 : (2 * p) / (1 + p);
  });
  return aus.length ? f.reduce((a, b) => a + b, 0) / aus.length : null;
}
