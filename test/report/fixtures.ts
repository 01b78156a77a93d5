/**
 * Handmade results files (the lib/results schema, validated) for the report tests. Hand-picked numbers, not the
 * output of any run: never copy them into results/.
 */
import { validateResults, type ResultsFile } from '../../lib/results';
import { withTaskScoreCorrection } from '../../lib/experiments';
import type { BackboneName, LossName } from '../../lib/train/config';
import { PRESETS } from '../../lib/train/presets';
import { expandSweep } from '../../lib/train/sweep';

export const AUS = ['AU01', 'AU02', 'AU04', 'AU06', 'AU09', 'AU12', 'AU25', 'AU26'];

/** A valid results file whose per-AU F1 are `f1` (precision = recall = f1), on synthetic data unless `disfa`. */
export function fakeRun(opts: { backbone?: string; loss?: string; task?: string; f1: number[]; disfa?: boolean; stage1Seconds?: number; stage2Seconds?: number }): ResultsFile {
  const perAu: ResultsFile['metrics']['perAu'] = {};
  const thresholds: Record<string, number> = {};
  const curves: ResultsFile['curves'] = {};
  const positives: Record<string, number> = {};
  AUS.forEach((au, i) => {
    perAu[au] = { precision: opts.f1[i], recall: opts.f1[i], f1: opts.f1[i], ap: opts.f1[i], support: 10 };
    thresholds[au] = 0.5;
    curves[au] = { precision: [0.2, opts.f1[i], 1], recall: [1, opts.f1[i], 0], thresholds: [0.3, 0.7] };
    positives[au] = i + 1;
  });
  const meanF1 = opts.f1.reduce((a, b) => a + b, 0) / opts.f1.length;
  const task = opts.task ?? 'loss-comparison';
  // the loss comparison of a non-paper preset trains stage 1 only (lib/experiments lossComparisonExperiments)
  const stage2 = task === 'loss-comparison' ? { ...PRESETS.quick.stage2, epochs: 0 } : PRESETS.quick.stage2;
  // as the library builds them: a switch of the preset's loss drops its weighted-BCE correction (expandSweep), and
  // the comparisons run without it (lib/experiments withTaskScoreCorrection)
  const axes = { backbones: [(opts.backbone ?? 'mobilenet_v1') as BackboneName], losses: [(opts.loss ?? 'bce') as LossName] };
  const config = withTaskScoreCorrection({ ...expandSweep(PRESETS.quick, axes)[0], task, stage2 });
  const r = {
    schemaVersion: 1,
    meta: { runId: `quick-${config.backbone}-${config.loss}-fold1-seed1`, date: '2026-01-01T00:00:00Z', gitCommit: null, command: 'test', backend: 'cpu', tfjsVersion: '4.22.0', host: 'test', elapsedS: 1, weights: null },
    config,
    data: {
      dataset: 'disfa', root: '/x', synthetic: !opts.disfa, fold: 1, trainSubjects: ['SN003'], valSubjects: ['SN004'], testSubjects: ['SN001'],
      counts: { trainFrames: 100, valFrames: 50, testFrames: 50, trainPositives: positives, valPositives: positives, testPositives: positives },
    },
    history: {
      stage1: [1, 2].map((epoch) => ({ epoch, loss: 1 / epoch, valLoss: 1.1 / epoch, valMeanF1: 0.2, lr: 1e-3, seconds: opts.stage1Seconds ?? 1 })),
      stage2: [1].map((epoch) => ({ epoch, loss: 0.4, valLoss: 0.5, valMeanF1: 0.25, lr: 1e-4, seconds: opts.stage2Seconds ?? 30 })),
    },
    metrics: {
      perAu, meanF1, meanAp: meanF1, thresholds,
      tuned: { perAu, meanF1, thresholds },
      baseline: { allPositive: { perAu: Object.fromEntries(AUS.map((au) => [au, { precision: 0.1, recall: 1, f1: 0.18 }])), meanF1: 0.18 } },
    },
    curves,
  };
  return validateResults(r, 'fixture');
}
