/**
 * Display helpers for tslab notebooks. tslab is a dev dependency and exists only inside a kernel, so it is
 * required lazily; outside a kernel (tests, CLI) these functions fall back to printing text.
 */
import { renderPng } from './export';
import type { PlotlyFigure } from './types';

/** The plotly MIME type JupyterLab's plotly renderer reads (an object, not a string). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface TslabDisplay {
  png(b: Uint8Array): void;
  text(s: string): void;
  markdown(s: string): void;
  html(s: string): void;
  raw(contentType: string, b: unknown): void;
}

interface DisplayBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient?: Record<string, unknown>;
}

function tslabOrNull(): { display: TslabDisplay; newDisplay(): TslabDisplay } | null {
  try {
    return require('tslab');
  } catch {
    return null;
  }
}

/** tslab's hook for one display_data message with several MIME types (internal; null if absent or not in a kernel). */
function writeDisplayData(): ((bundle: DisplayBundle, update: boolean) => void) | null {
  try {
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: (b: DisplayBundle, u: boolean) => void };
    return typeof jupyter.lastWriteDisplayData === 'function' ? jupyter.lastWriteDisplayData : null;
  } catch {
    return null;
  }
}

/**
 * Shows a figure in a notebook: one output carrying the PNG, the plotly JSON (MIME `application/vnd.plotly.v1+json`)
 * and a text caption. Each front end picks what it can render: JupyterLab with the plotly renderer draws the
 * interactive figure, classic Notebook and nbconvert HTML show the PNG (no script runs, so it works in untrusted
 * notebooks). Without that tslab hook it falls back to two outputs (PNG, then plotly JSON).
 */
export function showFigure(fig: PlotlyFigure, png: Uint8Array | null, caption = ''): void {
  const text = caption || String((fig.layout.title as { text?: string } | undefined)?.text ?? 'figure');
  const write = writeDisplayData();
  if (write) {
    const data: Record<string, unknown> = { 'text/plain': text, [PLOTLY_MIME]: fig };
    if (png) data['image/png'] = Buffer.from(png).toString('base64');
    write({ data, metadata: {}, transient: {} }, false);
    return;
  }
  const t = tslabOrNull();
  if (!t) {
    process.stdout.write(`[figure] ${text}${png ? ` (${png.length} bytes PNG)` : ''}\n`);
    return;
  }
  if (png) t.display.png(png);
  t.display.raw(PLOTLY_MIME, fig);
}

/** Shows Markdown (tables from lib/report) in a notebook, or prints it outside one. */
export function showMarkdown(md: string): void {
  const t = tslabOrNull();
  if (t && writeDisplayData()) t.display.markdown(md);
  else process.stdout.write(md + '\n');
}

/**
 * A progress line that updates in place in a notebook (one display entry, overwritten) and prints lines
 * elsewhere. Updates are throttled to one per `intervalMs` (default 1000; the latest message is shown when the
 * interval ends): a kernel flooded with display updates (hundreds a second from a training loop) stalls.
 * Returns the update function.
 */
export function progressDisplay(prefix = '', intervalMs = 1000): (message: string) => void {
  const t = tslabOrNull();
  const inKernel = t !== null && writeDisplayData() !== null;
  const d = inKernel ? t.newDisplay() : null;
  const write = (line: string) => {
    if (d) d.text(line);
    else process.stdout.write(line + '\n');
  };
  let last = -Infinity;
  let pending: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (pending === null) return;
    last = Date.now();
    write(pending);
    pending = null;
  };
  return (message: string) => {
    pending = prefix ? `${prefix}: ${message}` : message;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) flush();
    else if (timer === null) timer = setTimeout(flush, wait);
  };
}

/** Renders `fig` to PNG (headless Chromium) and shows it with its plotly JSON: the one call a notebook cell makes. */
export async function show(fig: PlotlyFigure, caption = ''): Promise<void> {
  showFigure(fig, await renderPng(fig), caption);
}

/** Shows PNG bytes (e.g. the synthetic face gallery) in a notebook; prints the size elsewhere. */
export function showPng(png: Uint8Array, caption = ''): void {
  const t = tslabOrNull();
  if (t && writeDisplayData()) t.display.png(png);
  else process.stdout.write(`[image] ${caption || 'PNG'} (${png.length} bytes)\n`);
}
