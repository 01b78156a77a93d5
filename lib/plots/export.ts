import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../util/fs';
import { chromiumMissingMessage, findChromium } from './chromium';

// Re-exported: lib/export imports findChromium from here.
export { findChromium };
import { figureHtml, plotlyBundlePath, type PlotlySource } from './html';
import type { PlotlyFigure } from './types';

/** Flags for a quiet, offline, sandbox-free headless Chromium (containers, CI). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];


export type ImageFormat = 'png' | 'svg';

/** What `exportFigure` wrote. */
export interface ExportedFiles {
  png?: string;
  svg?: string;
  html?: string;
}

/**
 * Renders plotly figure JSON to PNG and SVG in headless Chromium (driven by playwright-core, plotly loaded from
 * node_modules/plotly.js-dist with `addScriptTag({path})`: no network). Open once, render many, close:
 *
 *   const ex = await FigureExporter.open();
 *   try { const png = await ex.render(fig, 'png'); } finally { await ex.close(); }
 *
 * Each exporter uses a fresh temporary Chromium profile, removed on close.
 */
export class FigureExporter {
  private constructor(
    private readonly context: import('playwright-core').BrowserContext,
    private readonly page: import('playwright-core').Page,
    private readonly profileDir: string,
  ) {}

  /** Starts Chromium (lib/plots/chromium findChromium) and loads plotly into a blank page; throws saying how to get one. */
  static async open(opts: { executablePath?: string } = {}): Promise<FigureExporter> {
    const exe = opts.executablePath ?? findChromium();
    if (!exe) throw new Error(chromiumMissingMessage());
    if (!fs.existsSync(exe)) throw new Error(`static figure export: no Chromium at ${exe}`);
    const { chromium } = await import('playwright-core');
    const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-chromium-'));
    let context: import('playwright-core').BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profileDir, {
        executablePath: exe,
        headless: true,
        args: CHROMIUM_ARGS,
        offline: true,
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="fig"></div></body></html>');
      await page.addScriptTag({ path: plotlyBundlePath() });
      return new FigureExporter(context, page, profileDir);
    } catch (err) {
      await context?.close().catch(() => undefined);
      fs.rmSync(profileDir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Renders `fig` at its layout size (default 900x500) and returns the bytes: PNG at `scale` (default 2, crisp
   * on paper and high-DPI screens) or SVG text as UTF-8.
   */
  async render(fig: PlotlyFigure, format: ImageFormat, opts: { scale?: number } = {}): Promise<Uint8Array> {
    const width = Number(fig.layout.width ?? 900);
    const height = Number(fig.layout.height ?? 500);
    const scale = opts.scale ?? 2;
    const url = await this.page.evaluate(
      async ({ fig, format, width, height, scale }) => {
        const P = (globalThis as unknown as { Plotly: { newPlot: (...a: unknown[]) => Promise<unknown>; toImage: (...a: unknown[]) => Promise<string>; purge: (el: unknown) => void } }).Plotly;
        const el = (globalThis as unknown as { document: { getElementById(id: string): unknown } }).document.getElementById('fig');
        P.purge(el);
        const gd = await P.newPlot(el, fig.data, fig.layout, { staticPlot: true });
        return P.toImage(gd, { format, width, height, scale: format === 'png' ? scale : 1 });
      },
      { fig, format, width, height, scale },
    );
    const comma = url.indexOf(',');
    const header = url.slice(0, comma);
    const body = url.slice(comma + 1);
    if (header.endsWith(';base64')) return new Uint8Array(Buffer.from(body, 'base64'));
    return new Uint8Array(Buffer.from(decodeURIComponent(body), 'utf8'));
  }

  /** Closes Chromium and removes the temporary profile. */
  async close(): Promise<void> {
    try {
      await this.context.close();
    } finally {
      fs.rmSync(this.profileDir, { recursive: true, force: true });
    }
  }
}

/** Options of `exportFigure`. */
export interface ExportOptions {
  /** Which files to write (default all three). */
  formats?: ('png' | 'svg' | 'html')[];
  /** How the HTML file loads plotly (default: relative path to node_modules/plotly.js-dist). */
  htmlSource?: PlotlySource;
  /** PNG scale factor (default 2). */
  scale?: number;
}

let inlineBundle: string | undefined;

/**
 * Writes `<outBase>.png`, `<outBase>.svg` and `<outBase>.html` for one figure (atomically). PNG and SVG need an
 * open exporter; HTML does not.
 */
export async function exportFigure(
  exporter: FigureExporter | null,
  fig: PlotlyFigure,
  outBase: string,
  opts: ExportOptions = {},
): Promise<ExportedFiles> {
  const formats = opts.formats ?? ['png', 'svg', 'html'];
  const out: ExportedFiles = {};
  for (const f of formats) {
    const file = `${outBase}.${f}`;
    if (f === 'html') {
      const source = opts.htmlSource ?? { kind: 'relative', htmlDir: path.dirname(path.resolve(file)) };
      if (source.kind === 'inline' && inlineBundle === undefined) inlineBundle = fs.readFileSync(plotlyBundlePath(), 'utf8');
      const title = String((fig.layout.title as { text?: string } | undefined)?.text ?? path.basename(outBase));
      writeFileAtomic(file, figureHtml(fig, { title, source, bundle: inlineBundle }));
    } else {
      if (!exporter) throw new Error(`exportFigure: ${f} export needs a FigureExporter (Chromium)`);
      writeFileAtomic(file, await exporter.render(fig, f, { scale: opts.scale }));
    }
    out[f] = file;
  }
  return out;
}

/**
 * One figure to PNG bytes with a short-lived exporter (Chromium starts and stops: ~1-3 s). For many figures open
 * a FigureExporter once. Returns null when Chromium is missing, so notebooks still show the plotly JSON.
 */
export async function renderPng(fig: PlotlyFigure, opts: { scale?: number } = {}): Promise<Uint8Array | null> {
  if (!findChromium()) return null;
  const ex = await FigureExporter.open();
  try {
    return await ex.render(fig, 'png', { scale: opts.scale ?? 1 });
  } finally {
    await ex.close();
  }
}
