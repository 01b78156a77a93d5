/**
 * A danfojs-node DataFrame as an HTML table (pandas' `_repr_html_` look: index column, header row, numbers right
 * aligned), for notebook display. danfojs-node has no HTML renderer of its own (its print() draws box characters).
 * Pure: reads `columns`, `index` and `values` only.
 */

/** What the renderer reads of a DataFrame (danfojs-node's DataFrame has these). */
export interface FrameLike {
  columns: string[];
  index: (string | number)[];
  values: unknown[] | unknown[][];
}

export interface FrameHtmlOptions {
  /** Decimals shown for non-integer numbers (default 4; the data keeps full precision). */
  digits?: number;
  /** Rows shown at most (default 60, like pandas' max_rows); the rest is counted below the table. */
  maxRows?: number;
  /** A caption above the table. */
  caption?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * One cell's text: numbers to `digits` decimals, except in integer columns (`integers`: every number of the column is
 * an integer), which are shown as they are; NaN/null/undefined as NaN.
 */
export function formatCell(v: unknown, digits = 4, integers = Number.isInteger(v)): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return 'NaN';
  if (typeof v === 'number') return integers ? String(v) : v.toFixed(digits);
  return String(v);
}

/** Per column: true when every finite number in it is an integer (then it is shown without decimals). */
function integerColumns(rows: unknown[][], width: number): boolean[] {
  return Array.from({ length: width }, (_, j) => rows.every((r) => typeof r[j] !== 'number' || !Number.isFinite(r[j]) || Number.isInteger(r[j])));
}

/** The frame's rows as arrays (a one-column frame's values may come as a flat list). */
function rowsOf(df: FrameLike): unknown[][] {
  return (df.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r]));
}

/** The HTML table of `df` (at most maxRows rows, with a '... N more rows' line and the frame's shape). */
export function frameHtml(df: FrameLike, opts: FrameHtmlOptions = {}): string {
  const digits = opts.digits ?? 4;
  const maxRows = opts.maxRows ?? 60;
  const rows = rowsOf(df);
  const shown = rows.slice(0, maxRows);
  const ints = integerColumns(rows, df.columns.length);
  const th = (s: string) => `<th>${escapeHtml(s)}</th>`;
  const td = (v: unknown, j: number) => `<td${typeof v === 'number' ? ' style="text-align: right"' : ''}>${escapeHtml(formatCell(v, digits, ints[j]))}</td>`;
  const body = shown.map((r, i) => `<tr>${th(String(df.index[i]))}${r.map(td).join('')}</tr>`);
  const more = rows.length > shown.length ? `<p>... ${rows.length - shown.length} more rows</p>` : '';
  return [
    opts.caption ? `<p><b>${escapeHtml(opts.caption)}</b></p>` : '',
    '<table class="dataframe">',
    `<thead><tr><th></th>${df.columns.map(th).join('')}</tr></thead>`,
    `<tbody>${body.join('')}</tbody>`,
    '</table>',
    more,
    `<p>${rows.length} rows × ${df.columns.length} columns</p>`,
  ].join('\n');
}

/** A plain-text table of `df` for consoles (tab-separated, the same cell formatting). */
export function frameText(df: FrameLike, opts: FrameHtmlOptions = {}): string {
  const digits = opts.digits ?? 4;
  const all = rowsOf(df);
  const ints = integerColumns(all, df.columns.length);
  const rows = all.slice(0, opts.maxRows ?? 60);
  const lines = [['', ...df.columns].join('\t'), ...rows.map((r, i) => [String(df.index[i]), ...r.map((v, j) => formatCell(v, digits, ints[j]))].join('\t'))];
  return (opts.caption ? `${opts.caption}\n` : '') + lines.join('\n');
}
