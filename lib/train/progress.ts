/**
 * Progress of a run: events emitted by trainTwoStage, and a reporter that draws a progress bar in a terminal
 * (one line rewritten in place: stage, epoch, bar, loss, validation F1, ETA) and prints plain periodic lines
 * when the output is not a terminal (log files, Slurm, CI), so logs stay readable.
 */

/** What the training loop reports. `step`/`steps` count batches within the current phase. */
export type ProgressEvent =
  | { kind: 'phase'; phase: string; detail?: string }
  | { kind: 'step'; phase: 'data' | 'features' | 'stage1' | 'stage2' | 'eval'; epoch: number; epochs: number; step: number; steps: number; loss?: number }
  | {
      kind: 'epoch';
      stage: 1 | 2;
      epoch: number;
      epochs: number;
      loss: number;
      valLoss: number;
      valMeanF1: number;
      seconds: number;
      improved: boolean;
      stop: boolean;
    }
  | { kind: 'checkpoint'; stage: 1 | 2; epoch: number; dir: string }
  | { kind: 'done'; meanF1: number; seconds: number };

export type ProgressFn = (e: ProgressEvent) => void;

/** "1h02m", "3m05s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A text bar of `width` cells for fraction `f` in [0, 1]. */
export function bar(f: number, width = 24): string {
  const n = Math.max(0, Math.min(width, Math.round(f * width)));
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

export interface ReporterOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force terminal (bar) or plain mode; default: the stream's isTTY. */
  tty?: boolean;
  /** Plain mode: seconds between periodic step lines (epoch lines are always printed). */
  intervalS?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

/**
 * A ProgressFn that renders events for a human. ETA is extrapolated from the mean time per step of the current
 * phase and epoch.
 */
export function createProgressReporter(opts: ReporterOptions = {}): ProgressFn {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const intervalMs = (opts.intervalS ?? 30) * 1000;
  const now = opts.now ?? (() => Date.now());
  let phaseKey = '';
  let phaseStart = now();
  let lastPlain = 0;
  let lastVal = '';
  let lineOpen = false;
  const endLine = () => {
    if (tty && lineOpen) stream.write('\n');
    lineOpen = false;
  };
  return (e) => {
    if (e.kind === 'step') {
      const key = `${e.phase}:${e.epoch}`;
      if (key !== phaseKey) {
        phaseKey = key;
        phaseStart = now();
        lastPlain = phaseStart;
      }
      const elapsed = (now() - phaseStart) / 1000;
      const eta = e.step > 0 ? (elapsed / e.step) * (e.steps - e.step) : NaN;
      const what = e.phase === 'stage1' || e.phase === 'stage2' ? `${e.phase} epoch ${e.epoch}/${e.epochs}` : e.phase;
      const loss = e.loss !== undefined ? ` loss ${e.loss.toFixed(4)}` : '';
      if (tty) {
        const line = `${what} ${bar(e.steps ? e.step / e.steps : 0)} ${e.step}/${e.steps}${loss}${lastVal} ETA ${formatDuration(eta)}`;
        const cols = stream.columns ?? 120;
        stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 2))}`);
        lineOpen = true;
      } else if (now() - lastPlain >= intervalMs || e.step === e.steps) {
        lastPlain = now();
        stream.write(`${what} step ${e.step}/${e.steps}${loss} elapsed ${formatDuration(elapsed)} ETA ${formatDuration(eta)}\n`);
      }
      return;
    }
    endLine();
    if (e.kind === 'phase') {
      stream.write(`${e.phase}${e.detail ? `: ${e.detail}` : ''}\n`);
    } else if (e.kind === 'epoch') {
      lastVal = ` valF1 ${e.valMeanF1.toFixed(3)}`;
      stream.write(
        `stage ${e.stage} epoch ${e.epoch}/${e.epochs}: loss ${e.loss.toFixed(4)} val_loss ${e.valLoss.toFixed(4)} ` +
          `val_meanF1 ${e.valMeanF1.toFixed(4)} (${formatDuration(e.seconds)})${e.improved ? ' *' : ''}` +
          `${e.stop ? ' early stop' : e.epoch < e.epochs ? `, stage ETA <= ${formatDuration((e.epochs - e.epoch) * e.seconds)}` : ''}\n`,
      );
    } else if (e.kind === 'checkpoint') {
      stream.write(`checkpoint: stage ${e.stage} epoch ${e.epoch} -> ${e.dir}\n`);
    } else if (e.kind === 'done') {
      stream.write(`done: test mean F1 ${e.meanF1.toFixed(4)} in ${formatDuration(e.seconds)}\n`);
    }
  };
}
