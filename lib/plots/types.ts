/**
 * Types the figure builders read and write. Builders read results JSON only (shared/design.md "Results
 * schema"); the interfaces below name the fields they use, so any file that follows the schema fits. The results
 * types themselves come from lib/results and the published rows from lib/metrics (no copies here).
 */
import type { AuMetrics, Curve, EpochRecord } from '../results/schema';

/** One plotly trace: plain JSON, as `Plotly.newPlot` takes it. */
export type PlotlyTrace = Record<string, unknown> & { type: string; name?: string };

/** A plotly figure as JSON (`{data, layout}`): what the builders return and the exporters render. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

/** The subset of a result file (results/<task>/<runId>.json) that figures and the report read. */
export interface RunResultLike {
  schemaVersion?: number;
  meta?: { date?: string; backend?: string; elapsedS?: number; command?: string; gitCommit?: string | null };
  config: Record<string, unknown>;
  data?: { dataset?: string; fold?: number; synthetic?: boolean; counts?: { testFrames: number; testPositives: Record<string, number>; valFrames?: number; valPositives?: Record<string, number> } };
  history?: { stage1?: EpochRecord[]; stage2?: EpochRecord[] };
  metrics: {
    perAu: Record<string, AuMetrics>;
    meanF1: number;
    thresholds?: number[] | Record<string, number>;
    tuned?: { perAu: Record<string, AuMetrics>; meanF1: number; thresholds?: number[] | Record<string, number> };
  };
  curves?: Record<string, Curve>;
}

/** One of this project's runs (or a fold average) as a row of per-AU F1 (fractions in [0, 1]). */
export interface F1Series {
  label: string;
  /** 'AU01' -> F1 in [0, 1]. */
  perAu: Record<string, number>;
  meanF1: number;
  /** The all-positive F1 of the same test frames per AU (lib/plots floor.ts): bars below it are hatched. */
  floor?: Record<string, number>;
  /** Its mean over the AUs (the floor of meanF1). */
  floorMean?: number;
}
