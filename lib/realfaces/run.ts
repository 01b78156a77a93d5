/** Runs the real-faces measurement and writes its results file and figure (atomically). */
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
  meta: { date: string; gitCommit: string | null; command: string; backend: string; model: string };
  reference: { classifier: string; present: number; absent: number };
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
    meta: { date: new Date().toISOString(), gitCommit: gitCommit(), command: opts.command.replace(/--model \S+/, `--model ${path.basename(path.resolve(opts.model))}`), backend: opts.backend, model: path.basename(path.resolve(opts.model)) },
    reference: { classifier: '@vladmandic/face-api faceExpressionNet, EMFACS prototypes (lib/realfaces/reference.ts)', present: PRESENT_AT, absent: ABSENT_AT },
    ...measurement,
  };
  writeJsonAtomic(opts.out, res);
  writeFileAtomic(opts.figure, realFacesSheet(measurement.faces, crops, measurement.aus));
  return res;
}
