/**
 * DISFA's 66-point landmarks (Mavadati et al. 2013, fitted by an AAM and shipped with the dataset):
 *
 *   Landmark_Points/SNxxx/tmp_frame_lm/SNxxx_{i:04d}_lm.mat   (some subjects: l0{i:04d}_lm.mat), one file a frame,
 *   each a MATLAB Level 5 MAT file with one variable `pts`, a 66 x 2 double matrix of (x, y) image pixels.
 *
 * The file number i counts from 0 for frame 1 in the readers we follow: OpenFace's DISFA extraction script
 * (model_training/AU_training/.../extract_landmarks.m, as copied in zhouzhou-0809/test_ssdr extract_landmarks.m:
 * `load(...'/Landmark_Points/SN031/tmp_frame_lm/l03630_lm.mat')`, `all_pts(i,:) = pts(:)`) and the Python DISFA
 * readers that do `scipy.io.loadmat(os.path.join(lm_dir, subject, 'tmp_frame_lm', '{}_{:04d}_lm.mat'.format(subject,
 * frame - 1)))['pts']` with the `l0{:04d}` name as the fallback. Because copies differ (a subject with one file
 * more than its frames, a file missing), the folder is indexed: the smallest number found is frame 1, and frames
 * without a file are reported and aligned by the detector instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Point } from './align/geometry';
import { parseMat } from './mat';

/** The landmark folder of a subject, relative to the DISFA root. */
export const DISFA_LANDMARK_DIR = 'Landmark_Points/{subject}/tmp_frame_lm';
export const DISFA_LANDMARK_POINTS = 66;

const FILE_RE = /^(?:(SN\d{3})_|l0)(\d{4,5})_lm\.mat$/;

export interface LandmarkIndex {
  dir: string;
  /** Frame (1-based) -> file. */
  files: Map<number, string>;
  /** The file number of frame 1 (the smallest number in the folder). */
  base: number;
}

/** Indexes a subject's landmark folder; null when the folder does not exist. */
export function indexDisfaLandmarks(dir: string): LandmarkIndex | null {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const byNumber = new Map<number, string>();
  for (const e of entries) {
    const m = FILE_RE.exec(e);
    if (m && !byNumber.has(Number(m[2]))) byNumber.set(Number(m[2]), path.join(dir, e));
  }
  if (byNumber.size === 0) return { dir, files: new Map(), base: 0 };
  const base = Math.min(...byNumber.keys());
  const files = new Map<number, string>();
  for (const [n, f] of byNumber) files.set(n - base + 1, f);
  return { dir, files, base };
}

/** The 66 (x, y) points of one DISFA landmark file; errors name the file. */
export function readDisfaLandmarks(file: string): Point[] {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read landmarks (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const pts = parseMat(buf, file).get('pts');
  if (!pts) throw new Error(`${file}: no variable 'pts' (DISFA landmark files hold pts, 66 x 2)`);
  const [r, c] = pts.dims;
  const n = DISFA_LANDMARK_POINTS;
  if (pts.dims.length !== 2 || !((r === n && c === 2) || (r === 2 && c === n))) {
    throw new Error(`${file}: pts is ${pts.dims.join(' x ')}, expected ${n} x 2`);
  }
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    // column-major: a 66 x 2 matrix stores all x then all y; a 2 x 66 one alternates x, y
    out.push(r === n ? [pts.data[i], pts.data[i + n]] : [pts.data[2 * i], pts.data[2 * i + 1]]);
  }
  for (const [x, y] of out) if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`${file}: pts holds a non-finite value`);
  return out;
}

/** File name of frame `frame` (1-based) as the synthetic writer writes it (`SNxxx_{frame-1:04d}_lm.mat`). */
export function disfaLandmarkFileName(subject: string, frame: number): string {
  return `${subject}_${String(frame - 1).padStart(4, '0')}_lm.mat`;
}
