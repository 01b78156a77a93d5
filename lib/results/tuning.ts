/**
 * The stage-2 search record (results/tuning/stage2-search.json, made by results/tuning/summarise.py from the
 * search logs): per run, its settings, the stage-1 model's validation numbers and one row per fine-tuning epoch.
 * Validation subjects only; notebook 02 tells the fine-tuning story from it.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface SearchEpoch {
  epoch: number;
  train_loss: number;
  seconds: number;
  val_loss: number;
  val_f1: number;
  val_ap: number;
}

export interface SearchRun {
  run: string;
  config: { size: number; frames: number; seed: number; lr2: number; epochs2: number; bs2?: number; sched?: string; warm?: number; headBn: string };
  stage1: { val_loss: number; val_f1: number; val_ap: number } | null;
  epochs: SearchEpoch[];
  diagnosis: { epoch: number; text: string }[];
  complete: boolean;
}

/** The committed search record of this checkout. */
export const STAGE2_SEARCH_FILE = path.join(__dirname, '..', '..', 'results', 'tuning', 'stage2-search.json');

/** Reads a search record; a malformed file fails naming the file and the run. */
export function readStage2Search(file = STAGE2_SEARCH_FILE): SearchRun[] {
  const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(rows)) throw new Error(`${file}: expected a JSON array of search runs`);
  rows.forEach((r, i) => {
    const ok = r && typeof r.run === 'string' && r.config && Array.isArray(r.epochs) && Array.isArray(r.diagnosis);
    if (!ok) throw new Error(`${file}: entry ${i} is not a search run (needs run, config, epochs, diagnosis)`);
  });
  return rows as SearchRun[];
}

/** A short label of a run's stage-2 settings: 'I: 96 px, lr 1e-4 constant, head BN train'. */
export function searchRunLabel(r: SearchRun): string {
  const c = r.config;
  const sched = !c.sched || c.sched === 'const' ? 'constant' : `warm-up ${c.warm} + cosine`;
  return `${r.run}: ${c.size} px, lr ${c.lr2.toExponential(0)} ${sched}, head BN ${c.headBn}`;
}
