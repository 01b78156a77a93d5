/**
 * Where a trained run's test errors are: the rate scored present at each label intensity, and the subjects whose
 * frames are mostly wrong (with their appearance, for the synthetic set), from the run's test-scores.csv and the
 * dataset's intensity labels. Markdown on stdout (or --out FILE).
 *
 *   node -r ts-node/register/transpile-only scripts/error_breakdown.ts --run runs/<id> --root <DISFA root> [--aus AU25,AU26] [--out FILE]
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadDisfa } from '../lib/data/disfa';
import { PRESENCE_THRESHOLD } from '../lib/data/aus';
import { errorBreakdown, type AuErrorBreakdown, type ScoredFrame } from '../lib/metrics/error_breakdown';
import { gitCommit } from '../lib/results';
import { writeFileAtomic } from '../lib/util/fs';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`error_breakdown: --${name} is required`);
  return v;
}

/** One CSV line split on commas outside double quotes. */
function csvCells(line: string): string[] {
  const out: string[] = [];
  let cur = '', quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) (out.push(cur), (cur = ''));
    else cur += ch;
  }
  out.push(cur);
  return out;
}

/** test-scores.csv rows keyed 'subject/frame' -> score per AU. */
function readScores(file: string): Map<string, Record<string, number>> {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const head = csvCells(lines[0]);
  const [si, fi] = [head.indexOf('subject'), head.indexOf('frame')];
  if (si < 0 || fi < 0) throw new Error(`${file}: line 1: no subject/frame columns`);
  const out = new Map<string, Record<string, number>>();
  lines.slice(1).forEach((l) => {
    const c = csvCells(l);
    const score: Record<string, number> = {};
    head.forEach((h, k) => h.endsWith('_score') && (score[h.slice(0, -6)] = Number(c[k])));
    out.set(`${c[si]}/${Number(c[fi])}`, score);
  });
  return out;
}

/** The synthetic set's appearance of a subject (beard, glasses), when the root is one. */
function appearanceOf(root: string): (subject: string) => string {
  const file = path.join(root, 'fer-au-synthetic.json');
  if (!fs.existsSync(file)) return () => '';
  const ids = (JSON.parse(fs.readFileSync(file, 'utf8')) as { identities?: Record<string, { appearance?: { beard?: { style: string }; glasses?: unknown } }> }).identities ?? {};
  return (s) => {
    const a = ids[s]?.appearance;
    return [a?.beard && a.beard.style !== 'none' ? a.beard.style : '', a?.glasses ? 'glasses' : ''].filter(Boolean).join(', ');
  };
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : '-');

function markdown(b: AuErrorBreakdown, appearance: (s: string) => string): string[] {
  const rows = [`### ${b.au} (score >= ${b.threshold})`, '', `| intensity | ${b.byIntensity.map((c) => c.intensity).join(' | ')} |`, `|---|${b.byIntensity.map(() => '---').join('|')}|`];
  rows.push(`| frames | ${b.byIntensity.map((c) => c.frames).join(' | ')} |`);
  rows.push(`| scored present | ${b.byIntensity.map((c) => pct(c.scoredPresent, c.frames)).join(' | ')} |`, '');
  rows.push(`False positives ${b.falsePositives.total}: ${b.falsePositives.atIntensity0} at intensity 0, ${b.falsePositives.belowThreshold} below the presence threshold; ` +
    `false negatives ${b.falseNegatives.total}: ${b.falseNegatives.atThreshold} at the threshold intensity, ${b.falseNegatives.above} above.`, '');
  rows.push('| subject | appearance | negatives | FP rate | positives | FN rate |', '|---|---|---|---|---|---|');
  for (const s of b.bySubject) rows.push(`| ${s.subject} | ${appearance(s.subject)} | ${s.negatives} | ${pct(s.falsePositives, s.negatives)} | ${s.positives} | ${pct(s.falseNegatives, s.positives)} |`);
  return [...rows, ''];
}

async function main(): Promise<void> {
  const run = arg('run');
  const root = arg('root');
  const results = JSON.parse(fs.readFileSync(path.join(run, 'results.json'), 'utf8')) as { meta: { runId: string; gitCommit: string }; config: { aus: string[] } };
  const aus = process.argv.includes('--aus') ? arg('aus').split(',') : results.config.aus;
  const scores = readScores(path.join(run, 'test-scores.csv'));
  const index = await loadDisfa(root);
  const frames: ScoredFrame[] = index.frames.flatMap((f) => {
    const score = scores.get(`${f.subject}/${f.frame}`);
    return score ? [{ subject: f.subject, intensity: f.intensity, score }] : [];
  });
  if (frames.length !== scores.size) throw new Error(`${run}/test-scores.csv: ${scores.size - frames.length} scored frames are not in ${root}`);
  const appearance = appearanceOf(root);
  const command = `node -r ts-node/register/transpile-only scripts/error_breakdown.ts --run <run dir ${path.basename(run)}> --root <its dataset root>${process.argv.includes('--aus') ? ` --aus ${aus.join(',')}` : ''}`;
  const out = [`## Test errors of ${results.meta.runId}`, '', `Made by \`${command}\` at ${gitCommit() ?? 'no git'}. Run trained at ${results.meta.gitCommit}; ${frames.length} test frames; presence = intensity >= ${PRESENCE_THRESHOLD}.`, ''];
  for (const b of errorBreakdown(frames, aus, { presence: PRESENCE_THRESHOLD })) out.push(...markdown(b, appearance));
  const text = out.join('\n');
  if (process.argv.includes('--out')) writeFileAtomic(arg('out'), text);
  else process.stdout.write(text);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
