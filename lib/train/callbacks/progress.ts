/** The progress callback: one `epoch` event per epoch for a ProgressFn (lib/train/progress.ts renders them). */
import type { EpochRecord } from '../../results/schema';
import type { Callback, FitState } from '../fit';
import type { ProgressFn } from '../progress';

export class ProgressCallback implements Callback {
  constructor(readonly onProgress: ProgressFn) {}

  /** Runs after the early-stopping callback (callback order), so `improved` and `stop` are this epoch's. */
  onEpochEnd(s: FitState, r: EpochRecord): void {
    this.onProgress({ kind: 'epoch', stage: s.stage, epoch: r.epoch, epochs: s.epochs, loss: r.loss, valLoss: r.valLoss, valMeanF1: r.valMeanF1, seconds: r.seconds, improved: s.improved, stop: s.stop });
  }
}
