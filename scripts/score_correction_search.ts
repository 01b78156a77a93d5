/**
 * Validation-only search of `posWeightCorrection` (lib/train/score_correction.ts) for a trained weighted-BCE run:
 * scores the run's validation subjects (never its test fold) with the logits lowered by tau * log(w_k), for each
 * tau, and prints the validation mean F1 at 0.5 and per AU.
 *
 *   FER_CACHE_DIR=... node -r ts-node/register/transpile-only scripts/score_correction_search.ts runs/<id> [0,0.25,0.5,0.75,1]
 */
import * as fs from 'fs';
import * as path from 'path';
import { initBackend } from '../lib/backend';
import { f1Report } from '../lib/metrics';
import { loadAuModel } from '../lib/models/io';
import { validateConfig } from '../lib/train/config';
import { scoreFrames, sigmoidArray } from '../lib/train/evaluate';
import { loadExperimentData } from '../lib/train/experiment_data';
import { runPosWeight, scoreShift } from '../lib/train/score_correction';

async function main(): Promise<void> {
  await initBackend();
  const run = process.argv[2];
  if (!run) throw new Error('score_correction_search: give a run directory');
  const taus = (process.argv[3] ?? '0,0.25,0.5,0.75,1').split(',').map(Number);
  const c = validateConfig(JSON.parse(fs.readFileSync(path.join(run, 'config.json'), 'utf8')), path.join(run, 'config.json'));
  if (c.loss !== 'bce-weighted') throw new Error(`${run}: loss '${c.loss}', the correction is for 'bce-weighted' runs`);
  const d = await loadExperimentData(c, { cacheDir: process.env.FER_CACHE_DIR });
  const K = c.aus.length;
  const m = await loadAuModel(path.join(run, 'model'));
  const logits = await scoreFrames(m, { frames: d.val }, c);
  const posWeight = runPosWeight(c, d.trainLabels); // the weights the run trained with (null unless bce-weighted)
  // the saved model already carries the run's own correction (if any): undo it first
  const own = scoreShift(c, posWeight) ?? new Array<number>(K).fill(0);
  console.log(`${path.basename(run)}: validation subjects ${d.valSubjects.join(', ')} (${d.val.length} frames); test fold not scored`);
  console.log(`| tau | val mean F1 | ${c.aus.join(' | ')} |\n|---|---|${c.aus.map(() => '---').join('|')}|`);
  for (const tau of taus) {
    const shift = scoreShift({ ...c, posWeightCorrection: tau }, posWeight) ?? new Array<number>(K).fill(0);
    const r = f1Report(d.valLabels, sigmoidArray(logits.map((x, i) => x - own[i % K] + shift[i % K])), { names: c.aus, numLabels: K });
    console.log(`| ${tau} | ${r.meanF1.toFixed(3)} | ${r.perLabel.map((p) => p.f1.toFixed(2)).join(' | ')} |`);
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
});
