/**
 * The real-faces AUC table as markdown, from a results file's `agreement` (pure: no model, no detector), for the
 * command, notebook 05 and REPORT.md.
 */
import type { AuAgreement } from './reference';

/** Mean of the defined per-AU AUCs (null when none is defined). */
export function meanAuc(rows: AuAgreement[]): number | null {
  const v = rows.map((r) => r.auc).filter((a): a is number => a !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

const fmt = (a: AuAgreement) => (a.auc === null ? `n/a (${a.positives} present, ${a.negatives} absent)` : `${a.auc.toFixed(2)} [${a.ci!.low.toFixed(2)}, ${a.ci!.high.toFixed(2)}] (${a.positives}/${a.negatives})`);

/** | AU | all faces | dev | test |: AUC [95% CI] (present/absent faces), then the mean of the defined AUCs. */
export function formatAgreement(res: { aus: string[]; agreement: { all: AuAgreement[]; dev: AuAgreement[]; test: AuAgreement[] } }): string {
  const lines = ['| AU | all faces | dev (astronaut, sample1-3) | test (sample4-6) |', '|---|---|---|---|'];
  res.aus.forEach((au, k) => lines.push(`| ${au} | ${fmt(res.agreement.all[k])} | ${fmt(res.agreement.dev[k])} | ${fmt(res.agreement.test[k])} |`));
  const m = (rows: AuAgreement[]) => meanAuc(rows)?.toFixed(2) ?? 'n/a';
  lines.push(`| mean of defined | ${m(res.agreement.all)} | ${m(res.agreement.dev)} | ${m(res.agreement.test)} |`);
  return `${lines.join('\n')}\n`;
}

/** Issue 13's bar: AUC >= 0.80 on each of these AUs that has both classes among the confident faces. */
export const REAL_FACES_TARGET = { aus: ['AU01', 'AU02', 'AU04', 'AU12', 'AU25', 'AU26'], auc: 0.8 } as const;

/** One sentence: whether REAL_FACES_TARGET is met over `rows`, naming each scorable target AU's AUC and the unscorable ones. */
export function targetVerdict(rows: AuAgreement[]): string {
  const target = rows.filter((r) => (REAL_FACES_TARGET.aus as readonly string[]).includes(r.au));
  const scored = target.filter((r) => r.auc !== null);
  const unscored = target.filter((r) => r.auc === null).map((r) => r.au);
  const below = scored.filter((r) => r.auc! < REAL_FACES_TARGET.auc);
  const list = scored.map((r) => `${r.au} ${r.auc!.toFixed(2)}`).join(', ');
  const verdict = !scored.length ? 'cannot be judged (no target AU has both classes)' : below.length ? `is not met (${below.length} of ${scored.length} scorable below it: ${list})` : `is met (${list})`;
  return `Target (issue 13: AUC >= ${REAL_FACES_TARGET.auc.toFixed(2)} on each of ${REAL_FACES_TARGET.aus.join(', ')} that has both classes) ${verdict}${unscored.length ? `; ${unscored.join(', ')} have one class only in these photos and cannot be scored` : ''}.`;
}
