import { BASELINE_COLORS, RUN_COLORS, axis, baseLayout, sortAus } from './theme';
import type { PlotlyFigure } from './types';

/** Counts of frames where each AU is present, and the number of frames they were counted over. */
export interface LabelCounts {
  label: string;
  /** 'AU01' -> frames with the AU present. */
  positives: Record<string, number>;
  frames: number;
}

/**
 * AU occurrence as a percentage of frames, one series per dataset: ours beside the paper's Table 1
 * (DISFA: counts over 130,814 frames). Percentages, not counts, so sets of different sizes compare.
 */
export function labelFrequencyFigure(sets: LabelCounts[], opts: { aus?: string[]; title?: string } = {}): PlotlyFigure {
  if (sets.length === 0) throw new Error('labelFrequencyFigure: no label counts');
  for (const s of sets) {
    if (!(s.frames > 0)) throw new Error(`labelFrequencyFigure: '${s.label}' has frames=${s.frames}; need a positive count`);
  }
  const aus = opts.aus ?? sortAus(Object.keys(sets[0].positives));
  const data = sets.map((s, i) => ({
    type: 'bar',
    name: `${s.label} (${s.frames.toLocaleString('en-US')} frames)`,
    x: aus,
    y: aus.map((au) => (au in s.positives ? (100 * s.positives[au]) / s.frames : null)),
    customdata: aus.map((au) => s.positives[au] ?? null),
    hovertemplate: '%{x}: %{y:.2f}% (%{customdata} frames)<extra></extra>',
    marker: { color: i === 0 ? RUN_COLORS[0] : BASELINE_COLORS[(i - 1) % BASELINE_COLORS.length] },
  }));
  return {
    data,
    layout: baseLayout(opts.title ?? 'AU occurrence (intensity >= 2) as % of frames', {
      barmode: 'group',
      xaxis: axis('Action Unit'),
      yaxis: axis('Frames with the AU present (%)', { rangemode: 'tozero' }),
    }),
  };
}
