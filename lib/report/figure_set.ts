/**
 * The report's figures, built from results files (and the published-facts manifests) only. Each entry has a file
 * stem (results/figures/<name>.{png,svg,html}) and a caption. Figures whose runs are missing are left out and
 * listed, never drawn from placeholder numbers.
 */
import { DISFA_TOTAL_FRAMES, TABLE1_COUNTS } from '../data/aus';
import { loadBaselines, type BaselinesManifest, type PerAuBaselineRow } from '../metrics/baselines';
import {
  backboneBubbleFigure,
  labelFrequencyFigure,
  learningCurvesFigure,
  lossComparisonFigure,
  perAuF1Figure,
  prCurvesFigure,
  throughputFigure,
  type F1Series,
  type PlotlyFigure,
  type ThroughputRow,
} from '../plots';
import { allPositiveFloor } from '../plots/floor';
import type { ResultsFile } from '../results';
import { imagenetPoints, loadImagenetTop1 } from './imagenet';

/** File stems of every figure the report can hold (results/figures/<name>.{png,svg,html}). */
export const FIGURE_NAMES = [
  'label-frequency', 'backbone-bubble', 'backbone-throughput', 'backbone-f1', 'loss-comparison', 'pr-curves', 'learning-curves', 'f1-thresholds',
] as const;

/** A figure of the report. */
export interface ReportFigure {
  name: string;
  caption: string;
  figure: PlotlyFigure;
}

/** The runs each figure reads (any may be empty). */
export interface FigureInputs {
  lossComparison: ResultsFile[];
  backboneSurvey: ResultsFile[];
  transferStages: ResultsFile[];
  throughput?: { backend: string; rows: ThroughputRow[] } | null;
  baselines?: BaselinesManifest;
}

const LOSS_LABELS: Record<string, string> = {
  bce: 'BCE',
  'bce-weighted': 'weighted BCE',
  lsep: 'LSEP',
  pr: 'soft P*R (L_pr)',
};

const BACKBONE_LABELS: Record<string, string> = {
  mobilenet_v1: 'MobileNet-v1',
  mobilenet_v2: 'MobileNet-v2',
  densenet121: 'DenseNet-121',
  densenet201: 'DenseNet-201',
};

/** 'MobileNet-v1' for 'mobilenet_v1' (unknown names unchanged). */
export function backboneLabel(name: unknown): string {
  return BACKBONE_LABELS[String(name)] ?? String(name);
}

/** 'soft P*R (L_pr)' for 'pr' (unknown names unchanged). */
export function lossLabel(name: unknown): string {
  return LOSS_LABELS[String(name)] ?? String(name);
}

/** Per-AU F1 of a run as a bar series, with its all-positive floor; `tuned` uses the validation-tuned thresholds. */
export function f1Series(r: ResultsFile, label: string, tuned = false): F1Series {
  const m = tuned && r.metrics.tuned ? r.metrics.tuned : r.metrics;
  const perAu: Record<string, number> = {};
  for (const [au, v] of Object.entries(m.perAu)) perAu[au] = v.f1;
  const floor = allPositiveFloor(r);
  return { label, perAu, meanF1: m.meanF1, floor: floor.perAu, floorMean: floor.meanF1 };
}

/**
 * One series per group (a loss, a backbone) with per-AU F1 averaged over the folds every group has (the DISFA
 * protocol's average: per-AU F1 per fold, then the mean over folds); `folds` says which folds went in. The
 * all-positive floor is averaged over the same folds.
 */
export function foldMeanSeries(
  runs: ResultsFile[],
  keyOf: (r: ResultsFile) => string,
  labelOf: (r: ResultsFile) => string,
): { series: F1Series[]; folds: number[] } {
  const keys = [...new Set(runs.map(keyOf))];
  const folds = [...new Set(runs.map((r) => r.data.fold))]
    .sort((a, b) => a - b)
    .filter((k) => keys.every((key) => runs.some((r) => keyOf(r) === key && r.data.fold === k)));
  if (folds.length === 0) return { series: [], folds };
  const series = keys.map((key) => {
    const mine = folds.map((k) => runs.find((r) => keyOf(r) === key && r.data.fold === k)!);
    const perAu: Record<string, number> = {};
    for (const au of Object.keys(mine[0].metrics.perAu)) perAu[au] = mine.reduce((a, r) => a + (r.metrics.perAu[au]?.f1 ?? 0), 0) / mine.length;
    const aus = Object.keys(perAu);
    const floors = mine.map(allPositiveFloor);
    const floor = Object.fromEntries(aus.map((au) => [au, floors.reduce((a, f) => a + (f.perAu[au] ?? 0), 0) / floors.length]));
    const meanOf = (m: Record<string, number>) => aus.reduce((a, au) => a + m[au], 0) / aus.length;
    return { label: labelOf(mine[0]), perAu, meanF1: meanOf(perAu), floor, floorMean: meanOf(floor) };
  });
  return { series, folds };
}

const foldsText = (folds: number[]) => (folds.length > 1 ? `mean over folds ${folds.join(', ')}` : `fold ${folds[0]}`);

/** The published rows that have per-AU values (percent), as the figures and tables draw them. */
export function baselineRows(m: BaselinesManifest = loadBaselines()): PerAuBaselineRow[] {
  return m.rows.filter((r): r is PerAuBaselineRow => r.perAu !== null);
}

/** What the runs were trained on, for captions: 'synthetic DISFA' or 'DISFA'. */
export function datasetLabel(r: ResultsFile): string {
  return r.data.synthetic ? 'synthetic DISFA' : r.data.dataset === 'disfa' ? 'DISFA' : r.data.dataset;
}

/** Positives and frames over train+validation+test of a run: the label statistics of the set it used. */
export function runLabelCounts(r: ResultsFile): { positives: Record<string, number>; frames: number } {
  const c = r.data.counts;
  const positives: Record<string, number> = {};
  for (const au of Object.keys(c.trainPositives)) {
    positives[au] = (c.trainPositives[au] ?? 0) + (c.valPositives[au] ?? 0) + (c.testPositives[au] ?? 0);
  }
  return { positives, frames: c.trainFrames + c.valFrames + c.testFrames };
}

function byLoss(runs: ResultsFile[], loss: string, fold?: number): ResultsFile | undefined {
  return runs.find((r) => r.config.loss === loss && (fold === undefined || r.data.fold === fold));
}

/** The lowest fold on which every one of `losses` has a run. */
function commonFold(runs: ResultsFile[], losses: string[]): number | undefined {
  return [...new Set(runs.map((r) => r.data.fold))].sort((a, b) => a - b).find((k) => losses.every((l) => byLoss(runs, l, k)));
}

/** Builds every figure the inputs allow; `missing` names those left out and why. */
export function buildFigureSet(inputs: FigureInputs): { figures: ReportFigure[]; missing: string[] } {
  const figures: ReportFigure[] = [];
  const missing: string[] = [];
  const baselines = baselineRows(inputs.baselines ?? loadBaselines());
  const any = inputs.lossComparison[0] ?? inputs.backboneSurvey[0] ?? inputs.transferStages[0];

  if (any) {
    const ours = runLabelCounts(any);
    figures.push({
      name: 'label-frequency',
      caption: `AU occurrence in the ${datasetLabel(any)} set the runs used vs the paper's Table 1 (DISFA, ${DISFA_TOTAL_FRAMES.toLocaleString('en-US')} frames).`,
      figure: labelFrequencyFigure([
        { label: datasetLabel(any), positives: ours.positives, frames: ours.frames },
        { label: 'DISFA, paper Table 1', positives: { ...TABLE1_COUNTS }, frames: DISFA_TOTAL_FRAMES },
      ]),
    });
  } else missing.push('label-frequency: no results yet (for these settings; `fer-au figures --run-missing` trains them)');

  figures.push({
    name: 'backbone-bubble',
    caption: 'ImageNet top-1 vs multiply-adds, bubble area = parameters (published numbers, data-manifests/imagenet-top1.json): the paper\'s Fig. 1.',
    figure: backboneBubbleFigure(imagenetPoints(loadImagenetTop1())),
  });

  if (inputs.throughput && inputs.throughput.rows.length > 0) {
    figures.push({
      name: 'backbone-throughput',
      caption: `Measured forward and training throughput per backbone on this machine (${inputs.throughput.backend}).`,
      figure: throughputFigure(inputs.throughput.rows, { backend: inputs.throughput.backend }),
    });
  } else missing.push('backbone-throughput: not measured (fer-au figures --throughput)');

  if (inputs.backboneSurvey.length > 0) {
    const { series, folds } = foldMeanSeries(
      inputs.backboneSurvey,
      (r) => String(r.config.backbone),
      (r) => `${backboneLabel(r.config.backbone)} + ${lossLabel(r.config.loss)} (ours, ${datasetLabel(r)})`,
    );
    figures.push({
      name: 'backbone-f1',
      caption: `Per-AU F1 of the four backbones (LSEP, ${foldsText(folds)}) beside published DISFA results (3 folds): the paper's Fig. 3. Ours are on ${datasetLabel(inputs.backboneSurvey[0])}; the published rows are on DISFA.`,
      figure: perAuF1Figure(series, baselines, { title: 'Per-AU F1: our backbones (LSEP) vs published methods on DISFA' }),
    });
  } else missing.push('backbone-f1: no backbone-survey runs (for these settings; `fer-au figures --run-missing` trains them)');

  if (inputs.lossComparison.length > 0) {
    const { series, folds } = foldMeanSeries(inputs.lossComparison, (r) => String(r.config.loss), (r) => lossLabel(r.config.loss));
    const bb = backboneLabel(inputs.lossComparison[0].config.backbone);
    figures.push({
      name: 'loss-comparison',
      caption: `F1 per AU and mean for each loss, ${bb}, ${foldsText(folds)}, ${datasetLabel(inputs.lossComparison[0])}.`,
      figure: lossComparisonFigure(series, { title: `F1 by loss function (${bb}, ${foldsText(folds)})` }),
    });
    // PR curves need one run per loss: the lowest fold both have.
    const prFold = commonFold(inputs.lossComparison, ['bce', 'pr']);
    const bce = prFold === undefined ? undefined : byLoss(inputs.lossComparison, 'bce', prFold);
    const pr = prFold === undefined ? undefined : byLoss(inputs.lossComparison, 'pr', prFold);
    if (bce && pr) {
      figures.push({
        name: 'pr-curves',
        caption: 'Precision-recall curves per AU with (a) L_bce and (b) L_pr: the paper\'s Fig. 4. Dots: the operating point at threshold 0.5.',
        figure: prCurvesFigure([{ label: '(a) L_bce', run: bce }, { label: '(b) L_pr', run: pr }], {
          title: `Precision-recall curves per AU, ${backboneLabel(pr.config.backbone)} (${datasetLabel(pr)}, fold ${pr.data.fold})`,
        }),
      });
    } else missing.push('pr-curves: needs the bce and pr runs of the loss comparison (for these settings; `fer-au figures --run-missing` trains them)');
  } else missing.push('loss-comparison, pr-curves: no loss-comparison runs (for these settings; `fer-au figures --run-missing` trains them)');

  const ts = inputs.transferStages[0];
  if (ts) {
    figures.push({
      name: 'learning-curves',
      caption: `Stage 1 (head on the frozen backbone, cached features) then stage 2 (fine-tuning), ${backboneLabel(ts.config.backbone)} + ${lossLabel(ts.config.loss)}, fold ${ts.data.fold}.`,
      figure: learningCurvesFigure(ts),
    });
    if (ts.metrics.tuned) {
      figures.push({
        name: 'f1-thresholds',
        caption: 'Per-AU F1 at the fixed threshold 0.5 (the protocol) and at thresholds tuned per AU on the validation subjects.',
        figure: perAuF1Figure([f1Series(ts, 'threshold 0.5'), f1Series(ts, 'tuned on validation', true)], [], {
          title: `Threshold tuning: per-AU F1, ${backboneLabel(ts.config.backbone)} + ${lossLabel(ts.config.loss)}`,
        }),
      });
    }
  } else missing.push('learning-curves, f1-thresholds: no transfer-stages run (for these settings; `fer-au figures --run-missing` trains them)');

  return { figures, missing };
}

/** The figures keyed by name (`figures['pr-curves']`); a figure that was not built is absent. */
export function figuresByName(figures: ReportFigure[]): Partial<Record<(typeof FIGURE_NAMES)[number], PlotlyFigure>> {
  return Object.fromEntries(figures.map((f) => [f.name, f.figure]));
}
