/**
 * The REPORT.md section on real faces (issue 13), from results/real-faces/real-faces.json when it exists: the
 * per-AU AUC of the default model against the EMFACS-mapped expression reference, and the figure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatAgreement, meanAuc, targetVerdict } from '../realfaces/format';
import type { AuAgreement } from '../realfaces/reference';

interface RealFacesFile {
  aus: string[];
  faces: unknown[];
  agreement: { all: AuAgreement[]; dev: AuAgreement[]; test: AuAgreement[] };
  meta: { command: string; gitCommit: string | null; model: string; modelGitCommit?: string | null };
}

/** Markdown lines of the section, or none without a results file. */
export function realFacesSection(resultsDir: string, reportDir: string): string[] {
  const file = path.join(resultsDir, 'real-faces', 'real-faces.json');
  if (!fs.existsSync(file)) return [];
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RealFacesFile;
  const mean = meanAuc(r.agreement.all);
  const rel = (p: string) => path.relative(reportDir, p).split(path.sep).join('/');
  const out = [
    '## Real faces (sim-to-real)',
    '',
    `The model \`${r.meta.model}\`${r.meta.modelGitCommit ? ` (trained at ${r.meta.modelGitCommit.slice(0, 7)})` : ''}, trained only on the synthetic set, on ${r.faces.length} faces of the installed real photos, against face-api's expression classifier mapped to AUs by the EMFACS prototypes (confident faces only: present >= 0.6, absent <= 0.1). ROC AUC [95% bootstrap CI over faces] (present/absent faces); 0.5 is chance. From \`${r.meta.command}\` at ${r.meta.gitCommit ?? 'unknown commit'}.`,
    '',
    formatAgreement(r),
    `Mean AUC over the AUs with both classes: ${mean === null ? 'n/a' : mean.toFixed(2)} (chance 0.50).`,
    '',
    targetVerdict(r.agreement.all),
    '',
  ];
  const fig = path.join(resultsDir, 'figures', 'real-faces.png');
  if (fs.existsSync(fig)) out.push(`![Real faces with the model's AU scores (bars) and the reference (ticks)](${rel(fig)})`, '');
  return out;
}
