import { type Thresholds, thresholdsFor } from './confusion';
import { f1Report } from './f1';
import { averagePrecision, type PrCurve, precisionRecallCurve } from './pr_curve';
import { type LabelMatrix, columns } from './rows';

export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** average precision (sklearn's average_precision_score) of this label's scores */
  ap: number;
  support: number;
}

/** The `metrics` and `curves` parts of a results file (design.md, results schema), keyed by label name. */
export interface MultilabelEvaluation {
  perAu: Record<string, LabelMetrics>;
  meanF1: number;
  thresholds: number[];
  curves: Record<string, PrCurve>;
}

/**
 * Everything the results schema records for one test set: per-label precision/recall/F1/support at the
 * threshold(s) (`f1Report`), average precision and the full precision-recall curve per label
 * (`averagePrecision`, `precisionRecallCurve`), and the mean F1. Curves have one point per distinct score.
 *
 * @param labels [n][labels] 0/1 (or flat row-major)
 * @param scores [n][labels] sigmoid scores (with the default threshold 0.5)
 * @param opts.names label names, e.g. PAPER_AUS; their count is the number of labels
 */
export function evaluateMultilabel(
  labels: LabelMatrix,
  scores: LabelMatrix,
  opts: { names: string[]; threshold?: Thresholds },
): MultilabelEvaluation {
  const names = opts.names;
  if (!Array.isArray(names) || names.length === 0) throw new Error('evaluateMultilabel: opts.names must list the labels');
  const k = names.length;
  const thresholds = thresholdsFor('evaluateMultilabel', opts.threshold, k);
  const report = f1Report(labels, scores, { threshold: thresholds, names, numLabels: k });
  const { y, s } = columns('evaluateMultilabel', labels, scores, k);
  const perAu: Record<string, LabelMetrics> = {};
  const curves: Record<string, PrCurve> = {};
  report.perLabel.forEach((r, j) => {
    perAu[r.name] = { precision: r.precision, recall: r.recall, f1: r.f1, ap: averagePrecision(y[j], s[j]), support: r.support };
    curves[r.name] = precisionRecallCurve(y[j], s[j]);
  });
  return { perAu, meanF1: report.meanF1, thresholds, curves };
}
