export { precisionRecallCurve, averagePrecision, type PrCurve } from './pr_curve';
export {
  ConfusionAccumulator,
  confusionCounts,
  DEFAULT_THRESHOLD,
  type ConfusionCounts,
  type Thresholds,
} from './confusion';
export { f1Report, f1FromCounts, type F1Report, type LabelScores } from './f1';
export { bestThresholds, type BestThresholds } from './thresholds';
export { evaluateMultilabel, type LabelMetrics, type MultilabelEvaluation } from './report';
export { type LabelMatrix } from './rows';
export {
  loadBaselines,
  recomputedAverage,
  BASELINES_FILE,
  type BaselineRow,
  type BaselinesManifest,
} from './baselines';
export { subjectBootstrap, seededDraws, quantileSorted, type Interval, type SubjectBootstrapCi, type SubjectBootstrapOptions } from './bootstrap';
export { pairedDifference, intervalSide, type PairedDifference } from './paired';
export { studentTCdf, studentTQuantile, incompleteBeta, logGamma } from './student_t';
export { rocAuc } from './roc_auc';
