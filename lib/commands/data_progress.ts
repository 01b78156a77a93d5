/**
 * A one-line progress bar with rate and ETA for long data commands (`data prepare`), redrawn in place on a
 * terminal and printed as a plain line every few seconds otherwise (logs of Slurm jobs).
 */

/** `3725` -> '1h02m05s', `65` -> '1m05s', `7` -> '7s'. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (v: number) => String(v).padStart(2, '0');
  return h ? `${h}h${pad(m)}m${pad(r)}s` : m ? `${m}m${pad(r)}s` : `${r}s`;
}

/** `prepare [########------------]  40.0%  52,000/130,814 frames  120.3 frames/s  ETA 10m55s` */
export function progressLine(label: string, done: number, total: number, rate: number, etaSeconds: number | null, width = 24): string {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(f * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const eta = etaSeconds === null ? 'ETA ?' : `ETA ${formatDuration(etaSeconds)}`;
  return `${label} [${bar}] ${(100 * f).toFixed(1).padStart(5)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} frames  ${rate.toFixed(1)} frames/s  ${eta}`;
}

/** Writes progress lines to `stream`: in place on a TTY, else at most one line every `everyMs`. */
export function progressWriter(stream: NodeJS.WriteStream = process.stderr, everyMs = 10_000): { update: (line: string) => void; end: () => void } {
  let last = 0;
  let drawn = false;
  return {
    update(line) {
      if (stream.isTTY) {
        stream.write(`\r${line}\x1b[K`);
        drawn = true;
      } else if (Date.now() - last >= everyMs) {
        last = Date.now();
        stream.write(`${line}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
    },
  };
}
