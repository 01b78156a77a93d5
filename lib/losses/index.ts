export { type LossFn, softplus } from './common';
export { bceLoss, type BceOptions } from './bce';
export { lsepLoss } from './lsep';
export { precisionRecallLoss, type PrecisionRecallLossOptions } from './precision_recall';
export { posWeightFromCounts, posWeightFromLabels, type PosWeightOptions } from './pos_weight';
export { getLoss, LOSS_NAMES, type LossName, type GetLossOptions } from './registry';
