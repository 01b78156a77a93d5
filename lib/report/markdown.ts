/** Markdown tables for REPORT.md and notebooks (numbers rounded for display only). */
import type { ResultsFile } from '../results';
import { sortAus } from '../plots';
import { allPositiveFloor, belowFloor } from '../plots/floor';
import type { ClaimCheck } from './claims';
import { backboneLabel, baselineRows, datasetLabel, lossLabel } from './figure_set';
import type { BaselinesManifest } from '../metrics/baselines';
import type { ThroughputReport } from './throughput';

function esc(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table from a header and rows of cells. */
export function mdTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => esc(String(c))).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const f1 = (x: number | undefined) => (x === undefined ? '' : (100 * x).toFixed(1));

/** The mark of a value below the all-positive floor, and the line explaining it under a table. */
export const FLOOR_MARK = '†';
export const FLOOR_NOTE = `${FLOOR_MARK} below the all-positive F1 (every AU predicted present in every frame) of the same test frames.`;

/** `value` in points, marked when below `floor`. */
function flagged(value: number | undefined, floor: number | undefined): string {
  return value === undefined ? '' : `${f1(value)}${belowFloor(value, floor) ? ` ${FLOOR_MARK}` : ''}`;
}

/** '32.5 [28.1, 36.0]' from a bootstrap interval, or the value alone. */
function withCi(cell: string, iv: { low: number; high: number } | undefined): string {
  return iv && cell ? `${cell} [${f1(iv.low)}, ${f1(iv.high)}]` : cell;
}

/** The table, and FLOOR_NOTE under it when a cell is marked. */
function withFloorNote(table: string): string {
  return table.includes(` ${FLOOR_MARK}`) ? `${table}\n\n${FLOOR_NOTE}` : table;
}

/**
 * Per-AU F1 (%) of runs, one row a run, then the published rows with per-AU values (reported averages; EAC-Net's
 * note kept) when `baselines` is given. Our values below their all-positive floor are marked (FLOOR_NOTE).
 */
export function f1Table(runs: { label: string; run: ResultsFile; tuned?: boolean }[], baselines?: BaselinesManifest): string {
  const aus = sortAus(runs.length ? Object.keys(runs[0].run.metrics.perAu) : (baselines?.aus ?? []));
  const rows: (string | number)[][] = runs.map(({ label, run, tuned }) => {
    const m = tuned && run.metrics.tuned ? run.metrics.tuned : run.metrics;
    const floor = allPositiveFloor(run);
    return [label, ...aus.map((au) => flagged(m.perAu[au]?.f1, floor.perAu[au])), flagged(m.meanF1, floor.meanF1)];
  });
  if (baselines) {
    for (const b of baselineRows(baselines)) {
      const note = baselines.rows.find((r) => r.method === b.method)?.averageNote ? ' (reported; see note)' : '';
      rows.push([`${b.method} (published, DISFA)`, ...aus.map((au) => (b.perAu[au] ?? '').toString()), `${b.averageReported.toFixed(1)}${note}`]);
    }
  }
  return withFloorNote(mdTable(['Run', ...aus, 'Mean'], rows));
}

/**
 * One row per run: backbone, loss, fold, data, weights, epochs, mean F1 (0.5 and tuned) and AP with their 95%
 * intervals over test subjects when the file has them (metrics.ci), the all-positive floor, seconds. Mean F1 below
 * the floor is marked (FLOOR_NOTE).
 */
export function runsTable(runs: ResultsFile[]): string {
  const header = ['Run id', 'Backbone', 'Loss', 'Fold', 'Data', 'Weights', 'Epochs (s1+s2)', 'Mean F1', 'Tuned F1', 'Mean AP', 'All-positive F1', 'Time (s)', 'Backend'];
  if (runs.some((r) => r.metrics.ci)) for (const k of [7, 8, 9]) header[k] += ' [95% CI]';
  const table = mdTable(
    header,
    runs.map((r) => [
      r.meta.runId,
      backboneLabel(r.config.backbone),
      lossLabel(r.config.loss),
      r.data.fold,
      datasetLabel(r),
      r.meta.weights ?? 'random init',
      `${r.history.stage1.length}+${r.history.stage2.length}`,
      withCi(flagged(r.metrics.meanF1, allPositiveFloor(r).meanF1), r.metrics.ci?.meanF1),
      withCi(flagged(r.metrics.tuned?.meanF1, allPositiveFloor(r).meanF1), r.metrics.ci?.tunedMeanF1),
      withCi(f1(r.metrics.meanAp), r.metrics.ci?.meanAp),
      f1(allPositiveFloor(r).meanF1),
      r.meta.elapsedS.toFixed(0),
      r.meta.backend,
    ]),
  );
  return withFloorNote(table);
}

/** Stage 1 vs stage 2 of a run: epochs, mean seconds per epoch, last validation F1, trainable parameters if known. */
export function stagesTable(r: ResultsFile, trainable?: { stage1: number; stage2: number }): string {
  const row = (name: string, h: ResultsFile['history']['stage1'], n?: number) => [
    name,
    h.length,
    h.length ? (h.reduce((a, e) => a + e.seconds, 0) / h.length).toFixed(1) : '',
    h.length ? f1(h[h.length - 1].valMeanF1) : '',
    h.length ? f1(Math.max(...h.map((e) => e.valMeanF1))) : '',
    n === undefined ? '' : n.toLocaleString('en-US'),
  ];
  return mdTable(
    ['Stage', 'Epochs', 'Seconds / epoch', 'Last val mean F1', 'Best val mean F1', 'Trainable parameters'],
    [row('1: head on frozen backbone', r.history.stage1, trainable?.stage1), row('2: fine-tuning', r.history.stage2, trainable?.stage2)],
  );
}

/** Throughput measurements as a table. */
export function throughputTable(t: ThroughputReport): string {
  return mdTable(
    ['Backbone', 'Parameters', `Mult-adds @${t.inputSize}px`, 'Forward img/s', 'Training img/s'],
    t.rows.map((r) => [r.name, r.params.toLocaleString('en-US'), `${(r.multAdds / 1e6).toFixed(0)}M`, r.forward.toFixed(1), r.train.toFixed(1)]),
  );
}

/**
 * The claims table: one row per claim and measure. A claim's text and place in the paper head its first row only.
 * Differences are in points of the measure x100 with their 95% interval ('+8.1 [+3.2, +12.9]').
 */
export function claimsTable(claims: ClaimCheck[]): string {
  return mdTable(
    ['Claim (paper)', 'Where', 'Judged by', 'Verdict', 'Difference [95% CI]', 'Evidence'],
    claims.map((c, i) => {
      const first = i === 0 || claims[i - 1].id !== c.id;
      return [first ? c.claim : '', first ? c.where : '', c.judgedBy, `**${c.status}**`, c.difference, c.evidence];
    }),
  );
}
