/**
 * Early stopping on a monitored value, with Keras's semantics
 * (keras.callbacks.EarlyStopping(monitor, mode, min_delta, patience, restore_best_weights=True)): in mode 'min'
 * (validation loss) an epoch improves when value < best - minDelta, in mode 'max' (validation F1) when
 * value > best + minDelta; training stops once `patience` epochs in a row did not improve.
 * patience 0 never stops early. The state is plain data so checkpoints can save and restore it exactly.
 */
export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number | null;
  /** Epochs since the last improvement. */
  wait: number;
  stopped: boolean;
}

export class EarlyStopping {
  state: EarlyStoppingState;

  constructor(
    readonly patience: number,
    readonly minDelta = 0,
    state?: EarlyStoppingState,
    readonly mode: 'min' | 'max' = 'min',
  ) {
    if (!Number.isInteger(patience) || patience < 0) throw new Error(`EarlyStopping: patience must be an integer >= 0, got ${patience}`);
    if (!(minDelta >= 0)) throw new Error(`EarlyStopping: minDelta must be >= 0, got ${minDelta}`);
    this.state = state ? { ...state } : { best: null, bestEpoch: null, wait: 0, stopped: false };
  }

  /**
   * Records the value of `epoch`; returns whether it is the new best (the caller then keeps these weights).
   * A NaN value never improves.
   */
  update(epoch: number, value: number): { improved: boolean; stop: boolean } {
    const s = this.state;
    const better = this.mode === 'min' ? (b: number) => value < b - this.minDelta : (b: number) => value > b + this.minDelta;
    const improved = !Number.isNaN(value) && (s.best === null || better(s.best));
    if (improved) {
      s.best = value;
      s.bestEpoch = epoch;
      s.wait = 0;
    } else {
      s.wait += 1;
      if (this.patience > 0 && s.wait >= this.patience) s.stopped = true;
    }
    return { improved, stop: s.stopped };
  }
}
