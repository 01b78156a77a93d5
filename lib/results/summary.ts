/**
 * Averaging a sweep's runs over folds, the standard way of the DISFA literature (JAA-Net, ME-GraphAU code):
 * per-AU F1 is computed within each fold (TP/FP/FN accumulated over that fold's test frames, threshold 0.5),
 * then averaged over the folds; the mean F1 is the mean over AUs of those fold-averaged F1s (equal to the mean
 * over folds of each fold's mean F1). Frames are NOT pooled across folds before computing F1.
 */
import { canonicalJson } from './canonical';
import { ResultsFile } from './schema';

export interface FoldSummary {
  /** The shared settings (config without fold). */
  key: string;
  backbone: string;
  loss: string;
  folds: number[];
  /** AU -> F1 of each fold (in `folds` order) and their mean. */
  perAu: Record<string, { f1PerFold: number[]; f1: number; apPerFold: number[]; ap: number }>;
  meanF1: number;
  meanF1PerFold: number[];
  meanAp: number;
  /** Same averaging for the thresholds tuned on validation, when every fold has them. */
  tunedMeanF1: number | null;
  baselineMeanF1: number;
  runIds: string[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Groups runs that differ only in fold and averages them; groups in first-seen order, folds sorted. */
export function summarizeFolds(results: ResultsFile[]): FoldSummary[] {
  const groups = new Map<string, ResultsFile[]>();
  for (const r of results) {
    const { fold: _fold, ...rest } = r.config as Record<string, unknown>;
    const key = canonicalJson(rest);
    const g = groups.get(key) ?? [];
    if (g.some((x) => x.data.fold === r.data.fold)) {
      throw new Error(`summarizeFolds: two runs of fold ${r.data.fold} with the same settings (${g[0].meta.runId}, ${r.meta.runId})`);
    }
    g.push(r);
    groups.set(key, g);
  }
  return [...groups.entries()].map(([key, runs]) => {
    runs.sort((a, b) => a.data.fold - b.data.fold);
    const aus = Object.keys(runs[0].metrics.perAu);
    const perAu: FoldSummary['perAu'] = {};
    for (const au of aus) {
      const f1PerFold = runs.map((r) => {
        const m = r.metrics.perAu[au];
        if (!m) throw new Error(`summarizeFolds: run ${r.meta.runId} has no ${au}`);
        return m.f1;
      });
      const apPerFold = runs.map((r) => r.metrics.perAu[au].ap);
      perAu[au] = { f1PerFold, f1: mean(f1PerFold), apPerFold, ap: mean(apPerFold) };
    }
    const tunedAll = runs.every((r) => r.metrics.tuned);
    return {
      key,
      backbone: String(runs[0].config.backbone),
      loss: String(runs[0].config.loss),
      folds: runs.map((r) => r.data.fold),
      perAu,
      meanF1: mean(aus.map((au) => perAu[au].f1)),
      meanF1PerFold: runs.map((r) => r.metrics.meanF1),
      meanAp: mean(aus.map((au) => perAu[au].ap)),
      tunedMeanF1: tunedAll ? mean(runs.map((r) => r.metrics.tuned!.meanF1)) : null,
      baselineMeanF1: mean(runs.map((r) => r.metrics.baseline.allPositive.meanF1)),
      runIds: runs.map((r) => r.meta.runId),
    };
  });
}
