/**
 * Shared look of every figure: fonts, colours, margins. One place, so figures in the report, the notebooks and
 * the standalone HTML files look alike.
 */
import type { RunResultLike } from './types';

/** Colours for this project's runs (saturated, colour-blind safe: Okabe-Ito). */
export const RUN_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
/** Colours for published baselines (muted greys and browns, so our runs stand out). */
export const BASELINE_COLORS = ['#9e9e9e', '#bdbdbd', '#8d6e63', '#a1887f', '#757575', '#bcaaa4', '#616161', '#d7ccc8'];

/** A fresh copy of the base layout; `extra` is merged on top (shallowly). */
export function baseLayout(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title, x: 0.02, xanchor: 'left', font: { size: 16 } },
    font: { family: 'DejaVu Sans, Arial, sans-serif', size: 12, color: '#222' },
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 64, r: 24, t: 56, b: 56 },
    legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top' },
    width: 900,
    height: 500,
    ...extra,
  };
}

/** Axis defaults with light grid lines. */
export function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: title },
    showgrid: true,
    gridcolor: '#e6e6e6',
    zeroline: false,
    linecolor: '#444',
    ticks: 'outside',
    ...extra,
  };
}

/** AU names sorted by AU number ('AU01' < 'AU02' < 'AU12'). */
export function sortAus(aus: Iterable<string>): string[] {
  const num = (a: string): number => Number(a.replace(/^AU/i, '')) || 0;
  return [...new Set(aus)].sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

/** A short label for a run from its resolved config: `mobilenet_v1 · lsep · fold 1`. */
export function runLabel(run: RunResultLike): string {
  const c = run.config ?? {};
  const parts: string[] = [];
  if (typeof c.backbone === 'string') parts.push(c.backbone);
  if (typeof c.loss === 'string') parts.push(c.loss);
  const fold = typeof c.fold === 'number' ? c.fold : run.data?.fold;
  if (typeof fold === 'number') parts.push(`fold ${fold}`);
  return parts.length > 0 ? parts.join(' · ') : String(c.name ?? c.preset ?? 'run');
}

/** Formats a fraction in [0, 1] as a percentage with one decimal (`0.4567` -> `'45.7'`). */
export function pct(x: number): string {
  return (100 * x).toFixed(1);
}
