import { RUN_COLORS, axis, baseLayout } from './theme';
import { searchRunLabel, type SearchRun } from '../results/tuning';
import type { PlotlyFigure, PlotlyTrace } from './types';

/**
 * Validation loss of stage 2 against epoch for some runs of the stage-2 search (results/tuning), epoch 0 = the
 * stage-1 model: how the head BatchNorm's lagging statistics (head BN 'train') and a full-rate start (constant
 * rate) show, next to the preset's setting. Log-scaled loss, so a collapse and a slow descent both read.
 */
export function stage2SearchFigure(search: SearchRun[], runs: string[], opts: { title?: string } = {}): PlotlyFigure {
  const chosen = runs.map((id) => {
    const r = search.find((s) => s.run === id);
    if (!r) throw new Error(`stage2SearchFigure: no run '${id}' in the search (have ${search.map((s) => s.run).join(', ')})`);
    return r;
  });
  const data: PlotlyTrace[] = chosen.map((r, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: searchRunLabel(r),
    x: [0, ...r.epochs.map((e) => e.epoch)],
    y: [r.stage1?.val_loss ?? null, ...r.epochs.map((e) => e.val_loss)],
    line: { color: RUN_COLORS[i % RUN_COLORS.length] },
  }));
  return {
    data,
    layout: baseLayout(opts.title ?? 'Fine-tuning: validation loss per epoch (epoch 0 = the stage-1 model)', {
      xaxis: axis('Stage-2 epoch', { dtick: 1 }),
      yaxis: axis('Validation loss (log scale)', { type: 'log' }),
      margin: { l: 64, r: 24, t: 80, b: 140 },
    }),
  };
}
