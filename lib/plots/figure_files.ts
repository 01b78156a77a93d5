/**
 * Writing a set of figures to a folder so that a rerun on unchanged results leaves the files untouched (a clean
 * `git status` after `npm start`). Chromium's PNG and plotly's SVG are not byte-stable (plotly draws random clip-path
 * ids; rasterisation may differ between Chromium builds), so they are rewritten only when what produced them
 * changed: `<outDir>/figures.json` records, per figure, the sha256 of the figure JSON with the PNG scale and the
 * plotly version. HTML pages are deterministic text and are written when their text differs. Chromium is started
 * only when some PNG or SVG has to be rendered.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { canonicalJson } from '../results/canonical';
import { writeFileAtomic } from '../util/fs';
import { FigureExporter, type ExportedFiles, type ImageFormat } from './export';
import { figureHtml, plotlyBundlePath } from './html';
import type { PlotlyFigure } from './types';

/** The manifest file of a figures folder. */
export const FIGURE_MANIFEST = 'figures.json';

/** `<outDir>/figures.json`: figure name -> hash of what its PNG and SVG were rendered from. */
export interface FigureManifest {
  kind: 'fer-au-figures';
  version: 1;
  figures: Record<string, { sha256: string }>;
}

export interface WriteFiguresOptions {
  /** Formats to write (default png, svg, html). */
  formats?: ('png' | 'svg' | 'html')[];
  /** PNG scale (default 2). */
  scale?: number;
  /** Called once per figure: 'written' (rendered now) or 'unchanged' (files kept). */
  onFigure?: (name: string, status: 'written' | 'unchanged') => void;
  /** Opens the exporter when one is needed (default FigureExporter.open; tests inject one). */
  openExporter?: () => Promise<Pick<FigureExporter, 'render' | 'close'>>;
}

let plotlyVersion: string | undefined;
function plotlyVersionOf(): string {
  plotlyVersion ??= String((JSON.parse(fs.readFileSync(path.join(path.dirname(plotlyBundlePath()), 'package.json'), 'utf8')) as { version: string }).version);
  return plotlyVersion;
}

/** The sha256 of what a figure's PNG and SVG depend on: its JSON, the PNG scale and the plotly version. */
export function figureHash(fig: PlotlyFigure, scale = 2): string {
  return createHash('sha256').update(canonicalJson({ figure: fig, scale, plotly: plotlyVersionOf() })).digest('hex');
}

/** The manifest of `outDir`, or an empty one when absent or unreadable (then every figure is rendered). */
export function readFigureManifest(outDir: string): FigureManifest {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(outDir, FIGURE_MANIFEST), 'utf8')) as FigureManifest;
    if (m.kind === 'fer-au-figures' && m.version === 1 && m.figures && typeof m.figures === 'object') return m;
  } catch {
    // absent or not JSON: start afresh
  }
  return { kind: 'fer-au-figures', version: 1, figures: {} };
}

/** Writes `text` to `file` unless the file already holds exactly that text. */
function writeIfChanged(file: string, text: string): void {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  writeFileAtomic(file, text);
}

/**
 * Writes `<outDir>/<name>.{png,svg,html}` for each figure, skipping PNG/SVG whose recorded hash matches and whose
 * files exist, and updates `<outDir>/figures.json` (entries of figures not given are dropped). Returns the files of
 * every figure, written now or kept.
 */
export async function writeFigures(figures: { name: string; figure: PlotlyFigure }[], outDir: string, opts: WriteFiguresOptions = {}): Promise<{ name: string; files: ExportedFiles }[]> {
  const formats = opts.formats ?? ['png', 'svg', 'html'];
  const images = formats.filter((f): f is ImageFormat => f !== 'html');
  const scale = opts.scale ?? 2;
  const old = readFigureManifest(outDir);
  const next: FigureManifest = { kind: 'fer-au-figures', version: 1, figures: {} };
  let exporter: Pick<FigureExporter, 'render' | 'close'> | null = null;
  const out: { name: string; files: ExportedFiles }[] = [];
  try {
    for (const { name, figure } of figures) {
      const base = path.join(outDir, name);
      const files: ExportedFiles = {};
      const sha256 = figureHash(figure, scale);
      const fresh = old.figures[name]?.sha256 === sha256 && images.every((f) => fs.existsSync(`${base}.${f}`));
      for (const f of images) {
        if (!fresh) {
          exporter ??= await (opts.openExporter ?? (() => FigureExporter.open()))();
          writeFileAtomic(`${base}.${f}`, await exporter.render(figure, f, { scale }));
        }
        files[f] = `${base}.${f}`;
      }
      if (formats.includes('html')) {
        const title = String((figure.layout.title as { text?: string } | undefined)?.text ?? name);
        writeIfChanged(`${base}.html`, figureHtml(figure, { title, source: { kind: 'relative', htmlDir: path.resolve(outDir) } }));
        files.html = `${base}.html`;
      }
      // Without images there is nothing the hash vouches for: keep the old entry only if it still matches.
      if (images.length || old.figures[name]?.sha256 === sha256) next.figures[name] = { sha256 };
      opts.onFigure?.(name, fresh || !images.length ? 'unchanged' : 'written');
      out.push({ name, files });
    }
  } finally {
    await exporter?.close();
  }
  writeIfChanged(path.join(outDir, FIGURE_MANIFEST), JSON.stringify(next, null, 2) + '\n');
  return out;
}
