/**
 * Checks every config of a sweep before any data is read (train, figures): the weights each backbone asks for
 * exist (DenseNets have no embedded weights; a file must be there and be .h5 or model.json), and stage 2's
 * `unfreezeFrom` names a layer prefix of that backbone (a sweep that copies 'conv_dw_13' to MobileNet-v2 fails
 * here, not after stage 1). All problems are collected into one error, one line each.
 *
 * `--weights` syntax: SOURCE for every backbone, or BACKBONE=SOURCE[,BACKBONE=SOURCE...] per backbone;
 * SOURCE is embedded, none (random initialisation), a Keras .h5 file or a tfjs model.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BACKBONE_NAMES, type BackboneName, type ExperimentConfig } from '../train/config';
import { UsageError } from './types';

export type WeightsChoice = Partial<Record<BackboneName | '*', string | null>>;

/** Parses a --weights value. Throws a UsageError naming the bad part. */
export function parseWeights(value: unknown): WeightsChoice | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!text) throw new UsageError('--weights needs a value (embedded, none, FILE.h5, FILE/model.json, or BACKBONE=SOURCE,...)');
  const source = (s: string): string | null => {
    if (s === 'none') return null;
    if (s === 'embedded') return 'embedded';
    const file = path.resolve(s);
    if (!/\.(h5|json)$/i.test(file)) throw new UsageError(`--weights: '${s}' is not embedded, none, a .h5 file or a model.json`);
    if (!fs.existsSync(file)) throw new UsageError(`--weights: ${file} does not exist`);
    return file;
  };
  if (!text.includes('=')) return { '*': source(text) };
  const out: WeightsChoice = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [b, s] = part.split('=', 2);
    if (!(BACKBONE_NAMES as readonly string[]).includes(b) || s === undefined) {
      throw new UsageError(`--weights: '${part}' must be BACKBONE=SOURCE with BACKBONE one of ${BACKBONE_NAMES.join(', ')}`);
    }
    out[b as BackboneName] = source(s);
  }
  return out;
}

/** Applies a --weights choice to each run (a per-backbone entry wins over the all-backbones one). */
export function applyWeights(runs: ExperimentConfig[], choice: WeightsChoice | undefined): ExperimentConfig[] {
  if (!choice) return runs;
  return runs.map((c) => {
    const w = c.backbone in choice ? choice[c.backbone] : '*' in choice ? choice['*'] : c.weights;
    return { ...c, weights: w === undefined ? c.weights : w };
  });
}

const layerNameCache = new Map<BackboneName, string[]>();

/** Layer names of a backbone (built once at 32 px on the current backend, then disposed). */
function layerNames(backbone: BackboneName): string[] {
  let names = layerNameCache.get(backbone);
  if (!names) {
    const { buildBackbone } = require('../models') as typeof import('../models');
    const m = buildBackbone(backbone, { inputSize: 32 });
    names = m.layers.map((l) => l.name);
    m.dispose();
    layerNameCache.set(backbone, names);
  }
  return names;
}

/** Problems of one run's weights and unfreeze layer (empty when fine). */
export function runProblems(c: ExperimentConfig): string[] {
  const out: string[] = [];
  if (c.weights === 'embedded') {
    const { BACKBONES } = require('../models') as typeof import('../models');
    if (!BACKBONES[c.backbone].weights.some((w) => w.kind === 'embedded')) {
      const h5 = BACKBONES[c.backbone].weights.find((w) => w.kind === 'keras-h5');
      out.push(`${c.backbone}: no embedded weights; pass --weights ${c.backbone}=PATH to ${h5?.id ?? 'its Keras weights'}.h5 (URL and md5 in data-manifests/weights.json) or --weights ${c.backbone}=none`);
    }
  } else if (c.weights !== null && !fs.existsSync(c.weights)) {
    out.push(`${c.backbone}: weights file ${c.weights} does not exist`);
  }
  const prefix = c.stage2.unfreezeFrom;
  if (prefix !== null && !layerNames(c.backbone).some((n) => n.startsWith(prefix))) {
    const examples = layerNames(c.backbone).slice(-4).join(', ');
    out.push(`${c.backbone}: stage2.unfreezeFrom '${prefix}' matches no layer (e.g. ${examples}); set it per backbone in a config file or null`);
  }
  return out;
}

/** Throws one UsageError listing every problem of the sweep (each distinct problem once). */
export function checkRuns(runs: ExperimentConfig[]): void {
  const problems = [...new Set(runs.flatMap(runProblems))];
  if (problems.length) throw new UsageError(`${problems.length} problem(s) in the sweep, nothing run: ${problems.join('; ')}`);
}
