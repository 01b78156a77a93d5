import * as path from 'path';
import type { PlotlyFigure } from './types';

/** Absolute path of the plotly bundle shipped in node_modules (plotly.js-dist, no network needed). */
export function plotlyBundlePath(): string {
  return require.resolve('plotly.js-dist/plotly.js');
}

/** Where a standalone HTML file gets plotly from. */
export type PlotlySource =
  /** The whole bundle inlined (~11 MB a file; opens anywhere, offline). */
  | { kind: 'inline' }
  /** A `<script src>` relative to the HTML file (e.g. the repo's node_modules copy; small files, offline in a checkout). */
  | { kind: 'relative'; htmlDir: string }
  /** Any URL (a CDN, a served copy). */
  | { kind: 'url'; url: string };

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element (no `</script>` or `<!--` can close it early). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * A standalone HTML page showing one interactive figure. `source` decides how plotly is loaded (see
 * PlotlySource); with `inline`, `bundle` must hold the text of plotly.js (read it once for many figures).
 */
export function figureHtml(fig: PlotlyFigure, opts: { title: string; source: PlotlySource; bundle?: string }): string {
  let script: string;
  if (opts.source.kind === 'inline') {
    if (opts.bundle === undefined) throw new Error('figureHtml: source inline needs the plotly bundle text');
    script = `<script>${opts.bundle.replace(/<\/script/gi, '<\\/script')}</script>`;
  } else if (opts.source.kind === 'relative') {
    const rel = path.relative(opts.source.htmlDir, plotlyBundlePath()).split(path.sep).join('/');
    script = `<script src="${escapeHtml(rel)}"></script>`;
  } else {
    script = `<script src="${escapeHtml(opts.source.url)}"></script>`;
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(opts.title)}</title>`,
    script,
    '<style>body{margin:0;font-family:sans-serif}#fig{width:100%;max-width:1200px;margin:auto}</style>',
    '</head>',
    '<body>',
    '<div id="fig"></div>',
    `<script>const fig = ${scriptJson(fig)};`,
    "Plotly.newPlot('fig', fig.data, Object.assign({}, fig.layout, {width: undefined, autosize: true}), {responsive: true, displaylogo: false});</script>",
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
