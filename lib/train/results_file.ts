/**
 * The outputs of a finished run: its results file (lib/results schema: portable config, no machine paths, the
 * final and the stage-1 metrics) and the per-frame test scores CSV.
 */
import type { BackendInfo } from '../backend';
import type { FrameRecord } from '../data';
import type { WeightReport } from '../models';
import { SCHEMA_VERSION, gitCommit, hostDescription, type Curve, type ResultsFile, type ResultsMetrics } from '../results';
import type { RunState } from './callbacks/checkpoint';
import type { ExperimentConfig } from './config';
import type { ExperimentData } from './experiment_data';
import { dataRootRef, portableConfig } from './run_id';

/** Positive frames per AU of row-major [n, aus.length] 0/1 labels. */
export function countPositives(labels: Float32Array, aus: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  aus.forEach((au, k) => {
    let n = 0;
    for (let i = k; i < labels.length; i += aus.length) if (labels[i] >= 0.5) n++;
    out[au] = n;
  });
  return out;
}

/** CSV of per-frame scores and labels: subject,frame,image,<AU>_score...,<AU>_label... */
export function scoresCsv(frames: FrameRecord[], scores: Float32Array, labels: Float32Array, aus: string[]): string {
  const K = aus.length;
  const head = ['subject', 'frame', 'image', ...aus.map((a) => `${a}_score`), ...aus.map((a) => `${a}_label`)].join(',');
  const rows = frames.map((f, i) => {
    const s = Array.from(scores.subarray(i * K, (i + 1) * K), (v) => v.toPrecision(6));
    const y = Array.from(labels.subarray(i * K, (i + 1) * K), (v) => String(v));
    return [f.subject, f.frame, JSON.stringify(f.image), ...s, ...y].join(',');
  });
  return `${[head, ...rows].join('\n')}\n`;
}

/** The results file of a run (schema version SCHEMA_VERSION). */
export function buildResults(o: {
  c: ExperimentConfig;
  runId: string;
  d: ExperimentData;
  state: RunState;
  metrics: ResultsMetrics;
  curves: Record<string, Curve>;
  backend: BackendInfo;
  weights: WeightReport | null;
  command: string;
}): ResultsFile {
  const { c, d, backend } = o;
  if (!o.state.stage1Metrics) throw new Error(`buildResults: run ${o.runId} has no stage-1 metrics`);
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: {
      runId: o.runId,
      date: new Date().toISOString(),
      gitCommit: gitCommit(),
      command: o.command,
      // a wasm fallback on a GPU machine says so (lib/backend/gpu_check.ts)
      backend: `${backend.name}${backend.name === 'wasm' ? ` (${backend.threads} threads${backend.simd ? ', simd' : ''})` : ''}${backend.gpuProblem ? `; GPU not used: ${backend.gpuProblem}` : ''}`,
      tfjsVersion: backend.tfjsVersion,
      host: hostDescription(),
      elapsedS: o.state.elapsed(),
      weights: o.weights ? `${o.weights.description} [${o.weights.id}]` : null,
    },
    config: portableConfig(c) as unknown as Record<string, unknown>,
    data: {
      dataset: d.index.dataset,
      root: dataRootRef(c.dataset.root),
      synthetic: d.synthetic,
      fold: c.fold,
      trainSubjects: d.trainSubjects,
      valSubjects: d.valSubjects,
      testSubjects: d.testSubjects,
      counts: {
        trainFrames: d.train.length,
        valFrames: d.val.length,
        testFrames: d.test.length,
        trainPositives: countPositives(d.trainLabels, c.aus),
        valPositives: countPositives(d.valLabels, c.aus),
        testPositives: countPositives(d.testLabels, c.aus),
      },
    },
    history: o.state.history,
    metrics: { ...o.metrics, stage1: o.state.stage1Metrics },
    curves: o.curves,
  };
}
