import * as tf from '@tensorflow/tfjs';
import { bceLoss } from './bce';
import type { LossFn } from './common';
import { lsepLoss } from './lsep';
import { precisionRecallLoss } from './precision_recall';

/** The loss names accepted by `getLoss`, the training config and `fer-au train --loss`. */
export const LOSS_NAMES = ['bce', 'bce-weighted', 'lsep', 'pr'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export interface GetLossOptions {
  /** Required by 'bce-weighted' (and only accepted there): per-label positive weights from the TRAINING labels,
   *  `posWeightFromLabels(trainLabels, numLabels)` or `posWeightFromCounts(positives, total)`. */
  posWeight?: number[];
  /** 'pr' only: 'macro' (default) or 'micro'. */
  average?: 'macro' | 'micro';
  /** 'pr' only: denominator epsilon, default 1e-7. */
  eps?: number;
}

/**
 * A loss by name, as a `(labels, logits) => Scalar` function for `model.compile({ loss })`, `tf.variableGrads`
 * or a custom training loop:
 * - 'bce': `bceLoss` (paper eq. 5);
 * - 'bce-weighted': `bceLoss` with `opts.posWeight` (w_k = negatives / positives of label k in the training set);
 * - 'lsep': `lsepLoss` (paper eq. 1, Li et al. 2017);
 * - 'pr': `precisionRecallLoss` (paper eq. 6), `opts.average` / `opts.eps`.
 *
 * @example getLoss('bce-weighted', { posWeight: posWeightFromLabels(labelsOf(train, aus), aus.length) })
 */
export function getLoss(name: LossName, opts: GetLossOptions = {}): LossFn {
  if (!(LOSS_NAMES as readonly string[]).includes(name)) {
    throw new Error(`getLoss: unknown loss ${JSON.stringify(name)}; valid: ${LOSS_NAMES.join(', ')}`);
  }
  if (opts.posWeight !== undefined && name !== 'bce-weighted') {
    throw new Error(`getLoss: posWeight is only used by 'bce-weighted', not by '${name}'`);
  }
  if ((opts.average !== undefined || opts.eps !== undefined) && name !== 'pr') {
    throw new Error(`getLoss: average and eps are only used by 'pr', not by '${name}'`);
  }
  switch (name) {
    case 'bce':
      return (labels: tf.Tensor, logits: tf.Tensor) => bceLoss(labels, logits);
    case 'bce-weighted': {
      const posWeight = opts.posWeight;
      if (posWeight === undefined) {
        throw new Error(
          "getLoss('bce-weighted') needs opts.posWeight: compute it from the training labels with " +
            'posWeightFromLabels(labels, numLabels) or posWeightFromCounts(positives, total)',
        );
      }
      return (labels: tf.Tensor, logits: tf.Tensor) => bceLoss(labels, logits, { posWeight });
    }
    case 'lsep':
      return (labels: tf.Tensor, logits: tf.Tensor) => lsepLoss(labels, logits);
    case 'pr': {
      const prOpts = { average: opts.average, eps: opts.eps };
      return (labels: tf.Tensor, logits: tf.Tensor) => precisionRecallLoss(labels, logits, prOpts);
    }
  }
}
