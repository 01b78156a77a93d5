/**
 * Display helpers for tslab notebooks, through tslab's public display API (`tslab.display.html/png/markdown/text/
 * raw`, `tslab.newDisplay()`). tslab is a dev dependency and exists only inside a kernel, so it is required lazily;
 * outside a kernel (tests, CLI) its display throws 'Not ready' and these functions print text instead.
 */
import { renderPng } from './export';
import { frameHtml, frameText, type FrameHtmlOptions, type FrameLike } from './frame_html';
import type { PlotlyFigure } from './types';

/** The plotly MIME type JupyterLab's plotly renderer reads (an object, not a string). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** tslab's public Display (tslab/dist/public.d.ts); `raw` sends one display_data with one MIME type. */
interface TslabDisplay {
  png(b: Uint8Array): void;
  text(s: string): void;
  markdown(s: string): void;
  html(s: string): void;
  raw(contentType: string, b: string | Uint8Array): void;
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

/**
 * Runs `show` with tslab's display; false when there is no kernel (tslab absent, or its display throws 'Not ready'
 * because no cell is executing), so the caller prints instead.
 */
function withDisplay(show: (d: TslabDisplay) => void): boolean {
  const t = tslabOrNull();
  return t !== null && tryShow(t.display, show);
}

function tryShow(d: TslabDisplay, show: (d: TslabDisplay) => void): boolean {
  try {
    show(d);
    return true;
  } catch (err) {
    if (err instanceof Error && err.message === 'Not ready') return false;
    throw err;
  }
}

/**
 * tslab's writer of one display_data message, for the one case its public API cannot express: a single output
 * carrying several MIME types (PNG + plotly JSON + text). Every public Display method sends exactly one MIME type
 * (`raw(contentType, b)` builds `{[contentType]: b}`), so a figure sent through it becomes two outputs, and
 * JupyterLab with the plotly renderer would draw it twice (the PNG and the interactive figure). Only showFigure
 * uses this; null when tslab is absent, changed, or no cell is executing, and showFigure then uses the public API.
 */
function bundleWriter(): ((bundle: DisplayBundle, update: boolean) => void) | null {
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
 * notebooks). Without the bundle writer (see bundleWriter) it shows the PNG, or the plotly JSON when there is no PNG,
 * through the public API.
 */
export function showFigure(fig: PlotlyFigure, png: Uint8Array | null, caption = ''): void {
  const text = caption || String((fig.layout.title as { text?: string } | undefined)?.text ?? 'figure');
  const write = bundleWriter();
  if (write) {
    const data: Record<string, unknown> = { 'text/plain': text, [PLOTLY_MIME]: fig };
    if (png) data['image/png'] = Buffer.from(png).toString('base64');
    write({ data, metadata: {}, transient: {} }, false);
    return;
  }
  // raw's declared type is string | Uint8Array; a JSON MIME type's payload is the object itself (nbformat).
  const shown = withDisplay((d) => (png ? d.png(png) : d.raw(PLOTLY_MIME, fig as unknown as string)));
  if (!shown) process.stdout.write(`[figure] ${text}${png ? ` (${png.length} bytes PNG)` : ''}\n`);
}

/** Shows Markdown (tables from lib/report) in a notebook, or prints it outside one. */
export function showMarkdown(md: string): void {
  if (!withDisplay((d) => d.markdown(md))) process.stdout.write(md + '\n');
}

/**
 * Shows a danfojs-node DataFrame as an HTML table in a notebook (lib/plots frameHtml: numbers to `digits`
 * decimals, at most `maxRows` rows), or prints it as tab-separated text outside one.
 */
export function showFrame(df: FrameLike, opts: FrameHtmlOptions = {}): void {
  if (!withDisplay((d) => d.html(frameHtml(df, opts)))) process.stdout.write(frameText(df, opts) + '\n');
}

/**
 * A progress line that updates in place in a notebook (one display entry, overwritten) and prints lines
 * elsewhere. Updates are throttled to one per `intervalMs` (default 1000; the latest message is shown when the
 * interval ends): a kernel flooded with display updates (hundreds a second from a training loop) stalls.
 * Returns the update function.
 */
export function progressDisplay(prefix = '', intervalMs = 1000): (message: string) => void {
  let d = tslabOrNull()?.newDisplay() ?? null;
  const write = (line: string) => {
    if (d && tryShow(d, (x) => x.text(line))) return;
    d = null;
    process.stdout.write(line + '\n');
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
  if (!withDisplay((d) => d.png(png))) process.stdout.write(`[image] ${caption || 'PNG'} (${png.length} bytes)\n`);
}
