/** Runs the real-faces measurement and writes its results file and figure (atomically). */
import * as fs from 'fs';
import * as path from 'path';
import { gitCommit } from '../results/io';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs';
import type { Predictor } from '../train/predict';
import { measureRealFaces, REAL_FACES_SCHEMA, REAL_FACES_VERSION, type RealFacesMeasurement } from './measure';
import { realFacesSheet } from './sheet';
import { ABSENT_AT, PRESENT_AT } from './reference';

export interface RealFacesResults extends RealFacesMeasurement {
  schema: typeof REAL_FACES_SCHEMA;
  version: number;
  /** gitCommit: the tree that measured; modelGitCommit: the commit the model was trained at (its run's results.json), when known. */
  meta: { date: string; gitCommit: string | null; command: string; backend: string; model: string; modelGitCommit: string | null };
  reference: { classifier: string; present: number; absent: number };
}

/** meta.gitCommit of the run directory's results.json (what the model was trained at), or null (a bare model directory). */
export function modelGitCommit(modelDir: string): string | null {
  const file = path.join(modelDir, 'results.json');
  if (!fs.existsSync(file)) return null;
  const meta = (JSON.parse(fs.readFileSync(file, 'utf8')) as { meta?: { gitCommit?: unknown } }).meta;
  return typeof meta?.gitCommit === 'string' ? meta.gitCommit : null;
}

export async function runRealFaces(
  p: Predictor,
  opts: { model: string; out: string; figure: string; backend: string; command: string },
): Promise<RealFacesResults> {
  const { measurement, crops } = await measureRealFaces(p);
  const res: RealFacesResults = {
    schema: REAL_FACES_SCHEMA,
    version: REAL_FACES_VERSION,
    // the model is named by its run directory's name only: results hold no machine paths
    meta: { date: new Date().toISOString(), gitCommit: gitCommit(), command: opts.command.replace(/--model \S+/, `--model ${path.basename(path.resolve(opts.model))}`), backend: opts.backend, model: path.basename(path.resolve(opts.model)), modelGitCommit: modelGitCommit(opts.model) },
    reference: { classifier: '@vladmandic/face-api faceExpressionNet, EMFACS prototypes (lib/realfaces/reference.ts)', present: PRESENT_AT, absent: ABSENT_AT },
    ...measurement,
  };
  writeJsonAtomic(opts.out, res);
  writeFileAtomic(opts.figure, realFacesSheet(measurement.faces, crops, measurement.aus));
  return res;
}
