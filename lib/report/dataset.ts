/**
 * The dataset tour (notebook 00): the set a config trains on (synthetic by default, or a licensed DISFA copy),
 * its label statistics beside the paper's Table 1, the three folds, and pictures of the synthetic faces.
 */
import { DISFA_FOLDS, DISFA_TOTAL_FRAMES, PAPER_AUS, TABLE1_COUNTS, datasetStats, loadDisfa, type DatasetStats } from '../data';
import { auGallery, contactSheet } from '../data/synthetic';
import { labelFrequencyFigure, type PlotlyFigure } from '../plots';
import type { ExperimentConfig } from '../train/config';
import { ensureSyntheticDataset } from '../train/synthetic';
import { mdTable } from './markdown';

export interface DatasetTour {
  root: string;
  synthetic: boolean;
  stats: DatasetStats;
  /** Label frequency (% of frames) vs Table 1. */
  frequencyFigure: PlotlyFigure;
  /** Markdown: positives and rates per AU beside Table 1. */
  labelTable: string;
  /** Markdown: the three JAA-Net folds with frames and positives of their test subjects. */
  foldTable: string;
  /** PNG: each studied AU at intensity 0..5 on one synthetic identity (synthetic sets only). */
  gallery: Uint8Array | null;
  /** PNG: a contact sheet of frames as written to disk (synthetic sets only). */
  sheet: Uint8Array | null;
}

/**
 * Loads the set `config` trains on (`disfaRoot` overrides it with a DISFA copy) and summarises it.
 * The synthetic set is generated once and cached (lib/train ensureSyntheticDataset).
 */
export async function datasetTour(config: ExperimentConfig, opts: { disfaRoot?: string | null; onProgress?: (done: number, total: number) => void } = {}): Promise<DatasetTour> {
  const root = opts.disfaRoot ?? config.dataset.root ?? (await ensureSyntheticDataset(config.dataset.synthetic, { onProgress: opts.onProgress }));
  const synthetic = !opts.disfaRoot && config.dataset.root === null;
  const index = await loadDisfa(root, { aus: [...PAPER_AUS] });
  const stats = datasetStats(index, [...PAPER_AUS]);
  const label = synthetic ? 'synthetic DISFA' : 'this DISFA copy';
  const frequencyFigure = labelFrequencyFigure([
    { label, positives: stats.positives, frames: stats.frames },
    { label: 'DISFA, paper Table 1', positives: { ...TABLE1_COUNTS }, frames: DISFA_TOTAL_FRAMES },
  ]);
  const labelTable = mdTable(
    ['AU', `${label}: frames present`, `${label}: %`, 'Table 1: frames', 'Table 1: %'],
    PAPER_AUS.map((au) => [
      au,
      stats.positives[au],
      ((100 * stats.positives[au]) / stats.frames).toFixed(2),
      TABLE1_COUNTS[au],
      ((100 * TABLE1_COUNTS[au]) / DISFA_TOTAL_FRAMES).toFixed(2),
    ]),
  );
  const foldTable = mdTable(
    ['Fold (test part)', 'Subjects', 'Frames', ...PAPER_AUS],
    DISFA_FOLDS.map((part, k) => {
      const present = part.filter((s) => stats.perSubject[s]);
      const frames = present.reduce((a, s) => a + stats.perSubject[s].frames, 0);
      return [
        `${k + 1}: ${part.join(' ')}`,
        present.length,
        frames,
        ...PAPER_AUS.map((au) => present.reduce((a, s) => a + (stats.perSubject[s].positives[au] ?? 0), 0)),
      ];
    }),
  );
  const seed = config.dataset.synthetic.seed;
  return {
    root,
    synthetic,
    stats,
    frequencyFigure,
    labelTable,
    foldTable,
    gallery: synthetic ? new Uint8Array(auGallery({ seed, cell: 96 })) : null,
    sheet: synthetic ? new Uint8Array(contactSheet({ seed, frames: config.dataset.synthetic.frames, count: 12, columns: 6, cell: 112 })) : null,
  };
}
