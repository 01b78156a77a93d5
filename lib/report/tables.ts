/**
 * The notebooks' tables as danfojs-node DataFrames (lib/results toFrame), with numbers kept as numbers so a cell can
 * sort, group and export them; plots.showFrame shows them as HTML. F1, AP and rates are in percent, as in the paper's
 * tables. REPORT.md keeps its Markdown tables (markdown.ts). The run-level tables are lib/results runsFrame and
 * perAuFrame.
 */
import type { DataFrame } from 'danfojs-node';
import { DISFA_FOLDS, DISFA_TOTAL_FRAMES, PAPER_AUS, TABLE1_COUNTS, type DatasetStats } from '../data';
import type { BaselinesManifest } from '../metrics/baselines';
import { sortAus } from '../plots';
import { toFrame, type ResultsFile } from '../results';
import type { ClaimCheck } from './claim_check';
import { baselineRows } from './figure_set';
import { loadImagenetTop1, type ImagenetManifest } from './imagenet';
import type { FrozenBnCase } from './stages';
import type { ThroughputReport } from './throughput';

const pct = (x: number | undefined) => (x === undefined ? NaN : 100 * x);

/**
 * Per-AU F1 (%) of labelled runs, one row each (`tuned`: the thresholds tuned on validation), then, with
 * `baselines`, the published rows (DISFA; `mean` is the average as reported).
 */
export function f1Frame(runs: { label: string; run: ResultsFile; tuned?: boolean }[], baselines?: BaselinesManifest): DataFrame {
  const aus = sortAus(runs.length ? Object.keys(runs[0].run.metrics.perAu) : (baselines?.aus ?? []));
  const rows: Record<string, string | number>[] = runs.map(({ label, run, tuned }) => {
    const m = tuned && run.metrics.tuned ? run.metrics.tuned : run.metrics;
    return { run: label, ...Object.fromEntries(aus.map((au) => [au, pct(m.perAu[au]?.f1)])), mean: pct(m.meanF1) };
  });
  for (const b of baselines ? baselineRows(baselines) : []) {
    rows.push({ run: `${b.method} (published, DISFA)`, ...Object.fromEntries(aus.map((au) => [au, b.perAu[au] ?? NaN])), mean: b.averageReported });
  }
  return toFrame(rows, ['run', ...aus, 'mean']);
}

/** Frames where each AU is present in `stats` (label `label`) beside the paper's Table 1, counts and %. */
export function labelFrame(stats: DatasetStats, label: string): DataFrame {
  return toFrame(
    PAPER_AUS.map((au) => ({
      au,
      [`${label}: frames`]: stats.positives[au],
      [`${label}: %`]: (100 * stats.positives[au]) / stats.frames,
      'Table 1: frames': TABLE1_COUNTS[au],
      'Table 1: %': (100 * TABLE1_COUNTS[au]) / DISFA_TOTAL_FRAMES,
    })),
  );
}

/** The three folds (test part k): subjects present, their frames and positives per AU. */
export function foldFrame(stats: DatasetStats): DataFrame {
  return toFrame(
    DISFA_FOLDS.map((part, k) => {
      const present = part.filter((s) => stats.perSubject[s]);
      return {
        fold: k + 1,
        testSubjects: part.join(' '),
        subjects: present.length,
        frames: present.reduce((a, s) => a + stats.perSubject[s].frames, 0),
        ...Object.fromEntries(PAPER_AUS.map((au) => [au, present.reduce((a, s) => a + (stats.perSubject[s].positives[au] ?? 0), 0)])),
      };
    }),
  );
}

/** data-manifests/imagenet-top1.json: one row per network, with the source of every number. */
export function imagenetFrame(m: ImagenetManifest = loadImagenetTop1()): DataFrame {
  return toFrame(
    m.rows.map((r) => ({
      network: r.name,
      selected: r.selected,
      top1: r.top1,
      top1Paper: r.top1Paper ?? NaN,
      gMultAdds224: r.multAdds / 1e9,
      paramsM: r.params / 1e6,
      sources: `top-1: ${r.top1Source}${r.top1PaperSource ? `; paper: ${r.top1PaperSource}` : ''}; mult-adds: ${r.multAddsSource}; parameters: ${r.paramsSource}`,
    })),
  );
}

/** Throughput measurements: one row per backbone (images per second on this machine's backend). */
export function throughputFrame(t: ThroughputReport): DataFrame {
  return toFrame(
    t.rows.map((r) => ({ backbone: r.name, params: r.params, mMultAdds: r.multAdds / 1e6, forwardImgPerS: r.forward, trainImgPerS: r.train })),
  );
}

/** Stage 1 vs stage 2 of a run: epochs, mean seconds per epoch, last and best validation F1 (%), trainable parameters. */
export function stagesFrame(r: ResultsFile, trainable?: { stage1: number; stage2: number }): DataFrame {
  const row = (stage: string, h: ResultsFile['history']['stage1'], n?: number) => ({
    stage,
    epochs: h.length,
    secondsPerEpoch: h.length ? h.reduce((a, e) => a + e.seconds, 0) / h.length : NaN,
    lastValF1: h.length ? pct(h[h.length - 1].valMeanF1) : NaN,
    bestValF1: h.length ? pct(Math.max(...h.map((e) => e.valMeanF1))) : NaN,
    trainableParams: n ?? NaN,
  });
  return toFrame([row('1: head on frozen backbone', r.history.stage1, trainable?.stage1), row('2: fine-tuning', r.history.stage2, trainable?.stage2)]);
}

/** The claims checked against the results: one row per claim and measure (lib/report checkClaims). */
export function claimsFrame(claims: ClaimCheck[]): DataFrame {
  return toFrame(
    claims.map((c) => ({ claim: c.claim, where: c.where, judgedBy: c.judgedBy, verdict: c.status, difference: c.difference, evidence: c.evidence })),
    ['claim', 'where', 'judgedBy', 'verdict', 'difference', 'evidence'],
  );
}

/** The frozen-BatchNorm demonstration (stages.ts frozenBatchNormDemo): one row per layer. */
export function frozenBatchNormFrame(cases: FrozenBnCase[]): DataFrame {
  return toFrame(cases, ['layer', 'outputMean', 'movingMeanBefore', 'movingMeanAfter']);
}
