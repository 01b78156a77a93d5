/**
 * Bosphorus 3D face database reader (Savran et al., 2008). The expression is coded in the file name:
 *   bs000_LFAU_12LW_0.png   lower-face AU 12 (suffix: side/variant), take 0
 *   bs000_UFAU_2_0.png      upper-face AU 2
 *   bs000_CAU_A12A15_0.png  combined AUs 12 and 15
 *   bs000_E_HAPPY_0.png     emotion (not AU-coded)      bs000_N_N_0.png   neutral
 *   bs000_YR_R30_0.png / PR_SU / CR_RD                  yaw / pitch / cross rotation poses
 *   bs000_O_GLASSES_0.png   occlusion                   bs000_IGN_*       marked ignored by the database
 * AU-coded captures become multi-hot labels over the AUs present in the set (intensity 5 present, 0 absent);
 * neutral captures are all-zero. 2D landmarks come from the .lm2 file beside the image when present.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadManifest } from './manifest';
import { DatasetError, type DataProblem, type DatasetIndex, type FrameRecord } from './types';

export const BOSPHORUS_CATEGORIES = ['N', 'LFAU', 'UFAU', 'CAU', 'E', 'YR', 'PR', 'CR', 'O', 'IGN'] as const;
export type BosphorusCategory = (typeof BOSPHORUS_CATEGORIES)[number];
export const BOSPHORUS_EMOTIONS = ['ANGER', 'DISGUST', 'FEAR', 'HAPPY', 'SADNESS', 'SURPRISE'] as const;

export interface BosphorusName {
  subject: string;
  category: BosphorusCategory;
  code: string;
  take: number;
  /** AU numbers coded by the name (LFAU, UFAU, CAU); empty otherwise. */
  aus: number[];
  /** Side or variant suffix of a single-AU code ('LW' of 12LW), '' if none. */
  variant: string;
}

/** 12 -> 'AU12', 1 -> 'AU01'. */
export function auLabel(n: number): string {
  return `AU${String(n).padStart(2, '0')}`;
}

/**
 * Parses a Bosphorus capture name (with or without extension). Throws an Error explaining what does not fit.
 */
export function parseBosphorusName(fileName: string): BosphorusName {
  const base = path.basename(fileName).replace(/\.[^.]+$/, '');
  const m = /^(bs\d{3})_([A-Z]+)_([A-Za-z0-9]+)_(\d+)$/.exec(base);
  if (!m) throw new Error(`'${base}' is not a Bosphorus name (bsNNN_CATEGORY_CODE_TAKE)`);
  const [, subject, cat, code, take] = m;
  if (!(BOSPHORUS_CATEGORIES as readonly string[]).includes(cat)) {
    throw new Error(`'${base}': unknown category '${cat}' (valid: ${BOSPHORUS_CATEGORIES.join(', ')})`);
  }
  const category = cat as BosphorusCategory;
  let aus: number[] = [];
  let variant = '';
  if (category === 'LFAU' || category === 'UFAU') {
    const c = /^(\d+)([A-Z]*)$/.exec(code);
    if (!c) throw new Error(`'${base}': AU code '${code}' must be an AU number with an optional suffix (e.g. 12LW)`);
    aus = [Number(c[1])];
    variant = c[2];
  } else if (category === 'CAU') {
    if (!/^(A\d+[A-Z]*)+$/.test(code)) throw new Error(`'${base}': combined AU code '${code}' must look like A12A15`);
    aus = [...code.matchAll(/A(\d+)/g)].map((x) => Number(x[1]));
  } else if (category === 'N' && code !== 'N') {
    throw new Error(`'${base}': neutral captures are named N_N`);
  } else if (category === 'E' && !(BOSPHORUS_EMOTIONS as readonly string[]).includes(code)) {
    throw new Error(`'${base}': unknown emotion '${code}' (valid: ${BOSPHORUS_EMOTIONS.join(', ')})`);
  }
  return { subject, category, code, take: Number(take), aus, variant };
}

/** Parses a Bosphorus .lm2 file (2D landmarks); problems carry line numbers. */
export function parseLm2(text: string, file: string, problems: DataProblem[]): { names: string[]; points: [number, number][] } | null {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).map((l) => l.trim());
  const countLine = lines.findIndex((l) => /^\d+\s+landmarks?:?$/i.test(l));
  if (countLine < 0) {
    problems.push({ code: 'bad-line', file, message: "no 'N landmarks:' line" });
    return null;
  }
  const n = Number(/^\d+/.exec(lines[countLine])![0]);
  const labelsAt = lines.indexOf('Labels:', countLine);
  const coordsAt = lines.findIndex((l, i) => i > countLine && /^2D Image coordinates:?$/i.test(l));
  if (labelsAt < 0 || coordsAt < 0) {
    problems.push({ code: 'bad-line', file, line: countLine + 1, message: "expected 'Labels:' and '2D Image coordinates:' sections" });
    return null;
  }
  const names = lines.slice(labelsAt + 1, labelsAt + 1 + n);
  if (names.length !== n || names.some((x) => x === '') || labelsAt + 1 + n > coordsAt) {
    problems.push({ code: 'bad-line', file, line: labelsAt + 1, message: `expected ${n} landmark names` });
    return null;
  }
  const points: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const li = coordsAt + 1 + i;
    const m = li < lines.length ? /^(-?\d+(?:\.\d*)?)\s+(-?\d+(?:\.\d*)?)$/.exec(lines[li]) : null;
    if (!m) {
      problems.push({ code: 'bad-line', file, line: li + 1, message: `expected 'x y' for landmark ${i + 1} of ${n}, got '${(lines[li] ?? '<end of file>').slice(0, 40)}'` });
      return null;
    }
    points.push([Number(m[1]), Number(m[2])]);
  }
  return { names, points };
}

export interface BosphorusOptions {
  /** Categories to index (default LFAU, UFAU, CAU and N). */
  include?: BosphorusCategory[];
  /** Restrict the label set to these AUs (default: every AU coded in the set). */
  aus?: string[];
  manifest?: string;
}

export interface BosphorusScan {
  root: string;
  aus: string[];
  frames: FrameRecord[];
  subjects: { id: string; images: number; frames: number }[];
  categories: Record<string, number>;
  problems: DataProblem[];
}

/** Reads and validates a Bosphorus copy (root/bsNNN/*.png), collecting every problem. */
export function scanBosphorus(rootIn: string, opts: BosphorusOptions = {}): BosphorusScan {
  const root = path.resolve(rootIn);
  loadManifest('bosphorus', opts.manifest); // validates the manifest file
  const problems: DataProblem[] = [];
  const include = new Set<BosphorusCategory>(opts.include ?? ['LFAU', 'UFAU', 'CAU', 'N']);
  const categories: Record<string, number> = {};
  const subjects: BosphorusScan['subjects'] = [];
  const parsed: { name: BosphorusName; image: string }[] = [];
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root).sort();
  } catch {
    problems.push({ code: 'missing-file', file: root, message: 'dataset root is not a directory' });
    return { root, aus: [], frames: [], subjects, categories, problems };
  }
  const seen = new Map<string, string>();
  for (const d of dirs) {
    const dir = path.join(root, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (!/^bs\d{3}$/.test(d)) {
      problems.push({ code: 'unknown-subject', file: dir, message: `'${d}' is not a Bosphorus subject folder (bsNNN)` });
      continue;
    }
    let images = 0;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/\.png$/i.test(f)) continue;
      const file = path.join(dir, f);
      let name: BosphorusName;
      try {
        name = parseBosphorusName(f);
      } catch (err) {
        problems.push({ code: 'unknown-name', file, message: (err as Error).message });
        continue;
      }
      if (name.subject !== d) {
        problems.push({ code: 'unknown-subject', file, message: `file of ${name.subject} inside folder ${d}` });
        continue;
      }
      const key = f.replace(/\.[^.]+$/, '');
      if (seen.has(key)) {
        problems.push({ code: 'duplicate-frame', file, message: `capture ${key} also at ${seen.get(key)}` });
        continue;
      }
      seen.set(key, file);
      images++;
      categories[name.category] = (categories[name.category] ?? 0) + 1;
      parsed.push({ name, image: file });
    }
    subjects.push({ id: d, images, frames: 0 });
  }
  const allAus = [...new Set(parsed.filter((p) => include.has(p.name.category)).flatMap((p) => p.name.aus))].sort((a, b) => a - b).map(auLabel);
  const aus = opts.aus ?? allAus;
  const frames: FrameRecord[] = [];
  const perSubject = new Map(subjects.map((s) => [s.id, s]));
  for (const { name, image } of parsed) {
    if (!include.has(name.category)) continue;
    const intensity: Record<string, number> = {};
    const present = new Set(name.aus.map(auLabel));
    for (const au of aus) intensity[au] = present.has(au) ? 5 : 0;
    const rec: FrameRecord = { subject: name.subject, frame: perSubject.get(name.subject)!.frames + 1, image, intensity };
    const lm2 = image.replace(/\.png$/i, '.lm2');
    if (fs.existsSync(lm2)) {
      const lm = parseLm2(fs.readFileSync(lm2, 'utf8'), lm2, problems);
      if (lm) rec.landmarks = lm;
    }
    perSubject.get(name.subject)!.frames++;
    frames.push(rec);
  }
  return { root, aus, frames, subjects, categories, problems };
}

/** Loads Bosphorus as a DatasetIndex; throws a DatasetError listing every problem. */
export async function loadBosphorus(root: string, opts: BosphorusOptions = {}): Promise<DatasetIndex> {
  const scan = scanBosphorus(root, opts);
  if (scan.problems.length) throw new DatasetError(`Bosphorus at ${scan.root}`, scan.problems);
  return {
    dataset: 'bosphorus',
    root: scan.root,
    aus: scan.aus,
    frames: scan.frames,
    subjects: scan.subjects.filter((s) => s.frames > 0).map((s) => s.id),
    aligned: false,
  };
}
