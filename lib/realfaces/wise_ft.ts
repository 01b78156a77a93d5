/**
 * WiSE-FT on the real faces (Wortsman et al. 2022, "Robust fine-tuning of zero-shot models"): score models whose
 * weights interpolate between a robust endpoint (the pretrained backbone, or the whole stage-1 model) and the
 * fine-tuned model, theta(alpha) = (1 - alpha) * theta_0 + alpha * theta_1, on the installed real faces (AUC against
 * the EMFACS reference, as `fer-au real-faces`) and on the run's synthetic VALIDATION subjects (mean F1 at 0.5;
 * never the test fold), so the sim-to-real gain and the synthetic cost are seen together. alpha is chosen by
 * chooseAlpha on the dev split and validation only.
 */
import type { FrameRecord } from '../data/types';
import { f1Report } from '../metrics';
import { assignInterpolated, HEAD_LAYER_PREFIX, type AuModel } from '../models';
import type { ExperimentConfig } from '../train/config';
import { scoreFrames, sigmoidArray } from '../train/evaluate';
import { REAL_FACES_TARGET } from './format';
import { scoreRealFaces, type DetectedRealFaces, type RealFacesMeasurement } from './measure';

export const WISE_FT_SCHEMA = 'fer-au wise-ft';
export const WISE_FT_VERSION = 1;

/** theta_0: the pretrained backbone under the fine-tuned head, or the whole stage-1 model (backbone and head). */
export type WiseFtEndpoint = 'pretrained-backbone' | 'stage1-model';

export interface WiseFtPoint {
  endpoint: WiseFtEndpoint;
  alpha: number;
  /** Weights that interpolated (the others are the fine-tuned model's). */
  interpolated: number;
  /** Synthetic validation subjects, scores at 0.5. */
  val: { meanF1: number; perAu: Record<string, number> };
  agreement: RealFacesMeasurement['agreement'];
}

/** Everything but the head: WiSE-FT of the backbone with the fine-tuned head kept. */
export const isBackboneWeight = (name: string): boolean => !name.startsWith(HEAD_LAYER_PREFIX);

/** Writes theta(alpha) into `target` and scores it on the real faces and the validation frames. */
export async function wiseFtPoint(opts: {
  endpoint: WiseFtEndpoint; alpha: number; target: AuModel; from: AuModel; to: AuModel; det: DetectedRealFaces;
  val: { frames: FrameRecord[]; labels: Float32Array }; c: Pick<ExperimentConfig, 'aus' | 'inputSize' | 'evalBatchSize'>;
}): Promise<WiseFtPoint> {
  const { target, c } = opts;
  const select = opts.endpoint === 'pretrained-backbone' ? isBackboneWeight : undefined;
  const interpolated = assignInterpolated(target.model, opts.from.model, opts.to.model, opts.alpha, { select });
  const { agreement } = scoreRealFaces({ model: target, aus: c.aus, thresholds: c.aus.map(() => 0.5), thresholdSource: 'fixed 0.5' }, opts.det);
  const logits = await scoreFrames(target, { frames: opts.val.frames }, c);
  const r = f1Report(opts.val.labels, sigmoidArray(logits), { names: c.aus, numLabels: c.aus.length });
  const perAu = Object.fromEntries(r.perLabel.map((p) => [p.name, p.f1]));
  return { endpoint: opts.endpoint, alpha: opts.alpha, interpolated, val: { meanF1: r.meanF1, perAu }, agreement };
}

/** Mean dev AUC over the target AUs that have both classes on the dev split (null when none has). */
export function devTargetAuc(p: WiseFtPoint): number | null {
  const v = p.agreement.dev.filter((a) => (REAL_FACES_TARGET.aus as readonly string[]).includes(a.au) && a.auc !== null).map((a) => a.auc!);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

export const WISE_FT_RULE =
  'the point with the highest mean dev-split AUC over the target AUs scorable on dev, among points whose synthetic validation mean F1 is at least the fine-tuned model\'s (alpha 1) minus maxValDrop; ties go to the larger alpha. No test-split number is read.';

/** The selection of WISE_FT_RULE (dev split and validation only), or null when no point qualifies. */
export function chooseAlpha(points: WiseFtPoint[], opts: { maxValDrop: number }): WiseFtPoint | null {
  const ft = points.find((p) => p.alpha === 1);
  if (!ft) throw new Error('chooseAlpha: the sweep needs alpha 1 (the fine-tuned model) as the reference');
  const ok = points.filter((p) => p.val.meanF1 >= ft.val.meanF1 - opts.maxValDrop && devTargetAuc(p) !== null);
  let best: WiseFtPoint | null = null;
  for (const p of ok) {
    const d = devTargetAuc(p)!;
    const b = best === null ? -Infinity : devTargetAuc(best)!;
    if (d > b || (d === b && p.alpha > best!.alpha)) best = p;
  }
  return best;
}
