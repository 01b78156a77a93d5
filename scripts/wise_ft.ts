/**
 * WiSE-FT sweep for issue 13's sim-to-real target (lib/realfaces/wise_ft.ts): interpolates a fine-tuned run's
 * weights toward (a) the pretrained backbone, fine-tuned head kept, and (b) with --stage1, the whole stage-1 model
 * (a run with stage2.epochs 0 and the same stage-1 config and seed, e.g. the loss-comparison bce-weighted run),
 * scores every alpha on the installed real faces (AUC vs the EMFACS reference: dev, all, test) and on the run's
 * synthetic validation subjects (mean F1 at 0.5; the test fold is never scored), picks alpha on dev + validation
 * only (WISE_FT_RULE), writes results/real-faces/wise-ft.json and prints a markdown table.
 *
 *   FER_CACHE_DIR=... node -r ts-node/register/transpile-only scripts/wise_ft.ts RUN_DIR [--stage1 DIR]
 *     [--alphas 0,0.2,0.4,0.6,0.8,1] [--max-val-drop 0.05] [--out results/real-faces/wise-ft.json]
 */
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { initBackend } from '../lib/backend';
import { buildAuModel, compareWeights, loadAuModel, namedModelWeights, type AuModel } from '../lib/models';
import { gitCommit } from '../lib/results/io';
import { chooseAlpha, detectRealFaces, devTargetAuc, formatAgreement, isBackboneWeight, modelGitCommit, targetVerdict, WISE_FT_RULE, WISE_FT_SCHEMA, WISE_FT_VERSION, wiseFtPoint, type WiseFtEndpoint, type WiseFtPoint } from '../lib/realfaces';
import { validateConfig, type ExperimentConfig } from '../lib/train/config';
import { loadExperimentData } from '../lib/train/experiment_data';
import { runPosWeight, scoreShift, shiftOutputBias } from '../lib/train/score_correction';
import { readJson, writeJsonAtomic } from '../lib/util/fs';

const cell = (p: WiseFtPoint, au: string) => {
  const f = (rows: WiseFtPoint['agreement']['dev']) => rows.find((r) => r.au === au)?.auc?.toFixed(2) ?? '-';
  return `${f(p.agreement.dev)} / ${f(p.agreement.all)} / ${f(p.agreement.test)}`;
};

/** The sweep table: one row per (endpoint, alpha); AUC cells are dev / all / test; only AUs scorable somewhere. */
function table(points: WiseFtPoint[], aus: string[]): string {
  const shown = aus.filter((au) => points[0].agreement.all.find((r) => r.au === au)?.auc !== null);
  const lines = [`| theta_0 | alpha | val mean F1 | dev target mean | ${shown.map((a) => `${a} dev / all / test`).join(' | ')} |`, `|---|---|---|---|${shown.map(() => '---').join('|')}|`];
  for (const p of points) lines.push(`| ${p.endpoint} | ${p.alpha} | ${p.val.meanF1.toFixed(3)} | ${devTargetAuc(p)?.toFixed(3) ?? '-'} | ${shown.map((au) => cell(p, au)).join(' | ')} |`);
  return lines.join('\n');
}

/** theta_0 models: the pretrained backbone (embedded weights, the run's head shape), and the stage-1 run's model. */
async function endpoints(c: ExperimentConfig, stage1Dir: string | undefined, shift: number[] | null): Promise<Map<WiseFtEndpoint, AuModel>> {
  const out = new Map<WiseFtEndpoint, AuModel>();
  out.set('pretrained-backbone', await buildAuModel({ backbone: c.backbone, inputSize: c.inputSize, numAus: c.aus.length, aus: c.aus, weights: c.weights, dropout: c.dropout, alpha: c.alpha }));
  if (stage1Dir) {
    const s1 = await loadAuModel(path.join(stage1Dir, 'model'));
    // the stage-1 run carries no score correction; give it the fine-tuned run's, so F1 at 0.5 compares like with like
    if (shift) shiftOutputBias(s1, shift);
    out.set('stage1-model', s1);
  }
  return out;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { stage1: { type: 'string' }, alphas: { type: 'string' }, 'max-val-drop': { type: 'string' }, out: { type: 'string' } } });
  const run = positionals[0];
  if (!run) throw new Error('wise_ft: give the fine-tuned run directory');
  const alphas = (values.alphas ?? '0,0.2,0.4,0.6,0.8,1').split(',').map(Number);
  const maxValDrop = Number(values['max-val-drop'] ?? 0.05);
  const out = path.resolve(values.out ?? path.join(__dirname, '..', 'results', 'real-faces', 'wise-ft.json'));
  const t0 = Date.now();
  const backend = await initBackend();
  const c = validateConfig(readJson(path.join(run, 'config.json')), path.join(run, 'config.json'));
  const d = await loadExperimentData(c, { cacheDir: process.env.FER_CACHE_DIR });
  const shift = scoreShift(c, runPosWeight(c, d.trainLabels));
  const ft = await loadAuModel(path.join(run, 'model'));
  const target = await loadAuModel(path.join(run, 'model'));
  const from = await endpoints(c, values.stage1, shift);
  const det = await detectRealFaces(c.inputSize);
  const moved = compareWeights(namedModelWeights(from.get('pretrained-backbone')!.model), namedModelWeights(ft.model));
  const points: WiseFtPoint[] = [];
  for (const [endpoint, m] of from) {
    for (const alpha of alphas) {
      points.push(await wiseFtPoint({ endpoint, alpha, target, from: m, to: ft, det, val: { frames: d.val, labels: d.valLabels }, c }));
      process.stderr.write(`wise_ft: ${endpoint} alpha ${alpha}: val mean F1 ${points[points.length - 1].val.meanF1.toFixed(3)}\n`);
    }
  }
  const chosen = Object.fromEntries([...from.keys()].map((e) => [e, chooseAlpha(points.filter((p) => p.endpoint === e), { maxValDrop })]));
  const backboneMoved = moved.changed.filter((w) => isBackboneWeight(w.name));
  const res = {
    schema: WISE_FT_SCHEMA, version: WISE_FT_VERSION,
    meta: {
      date: new Date().toISOString(), gitCommit: gitCommit(), backend: `${backend.name} (${backend.threads} threads)`, elapsedS: (Date.now() - t0) / 1000, loadAverage: os.loadavg(),
      command: `node -r ts-node/register/transpile-only scripts/wise_ft.ts ${process.argv.slice(2).map((a) => (a.includes('/') ? path.basename(a) : a)).join(' ')}`,
      model: path.basename(path.resolve(run)), modelGitCommit: modelGitCommit(run), stage1Model: values.stage1 ? path.basename(path.resolve(values.stage1)) : null,
    },
    selection: { rule: WISE_FT_RULE, maxValDrop, chosen: Object.fromEntries(Object.entries(chosen).map(([e, p]) => [e, p?.alpha ?? null])) },
    valSubjects: d.valSubjects, valFrames: d.val.length, faces: det.faces.length, scoreShift: shift,
    weights: {
      note: 'fine-tuned vs pretrained backbone weights: bitwise identical ones, and ||ft - pre|| / ||pre|| of the others',
      identical: moved.identical.filter(isBackboneWeight), changed: backboneMoved, headChanged: moved.changed.filter((w) => !isBackboneWeight(w.name)).map((w) => w.name),
    },
    points,
  };
  writeJsonAtomic(out, res);
  process.stdout.write(`${table(points, c.aus)}\n\n`);
  for (const [e, p] of Object.entries(chosen)) {
    if (!p) { process.stdout.write(`${e}: no alpha qualifies under the rule\n`); continue; }
    process.stdout.write(`${e}: chosen alpha ${p.alpha} (dev + validation only)\n\n${formatAgreement({ aus: c.aus, agreement: p.agreement })}\nTest split: ${targetVerdict(p.agreement.test)}\n\n`);
  }
  process.stderr.write(`wise_ft: ${points.length} points, ${det.faces.length} faces, ${d.val.length} validation frames -> ${out} (${res.meta.elapsedS.toFixed(0)} s); backbone weights moved by fine-tuning: ${backboneMoved.length}, identical: ${res.weights.identical.length}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exitCode = 1;
});
