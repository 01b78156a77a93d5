/**
 * CelebA reader (Liu et al., ICCV 2015): list_attr_celeba.txt (a count line, the 40 attribute names, then one
 * row per image: file name and 40 values of 1 or -1 separated by one or two spaces) and
 * list_eval_partition.txt ('file 0|1|2'). A configurable subset of attributes is the multi-label target;
 * present attributes get intensity 5 and absent ones 0 (see FrameRecord), so `labelsOf` applies as for DISFA.
 * The images of img_align_celeba are already aligned crops (aligned: true).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadManifest, MANIFEST_DIR, resolveInRoot } from './manifest';
import { DatasetError, type DataProblem, type DatasetIndex, type FrameRecord } from './types';

export const CELEBA_PARTITIONS = ['train', 'val', 'test'] as const;
export type CelebaPartition = (typeof CELEBA_PARTITIONS)[number];

export interface CelebaAttributes {
  names: string[];
  rows: { file: string; line: number; values: Int8Array }[];
}

/** Parses list_attr_celeba.txt; every malformed line is reported with its number. */
export function parseCelebaAttributes(text: string, file: string, problems: DataProblem[]): CelebaAttributes {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const rows: CelebaAttributes['rows'] = [];
  if (lines.length < 2) {
    problems.push({ code: 'bad-line', file, line: lines.length + 1, message: 'expected a count line and an attribute-name line' });
    return { names: [], rows };
  }
  const countText = lines[0].trim();
  const declared = /^\d+$/.test(countText) ? Number(countText) : NaN;
  if (Number.isNaN(declared)) problems.push({ code: 'bad-line', file, line: 1, message: `expected the image count, got '${countText.slice(0, 40)}'` });
  const names = lines[1].trim().split(/\s+/).filter(Boolean);
  if (names.length !== 40) problems.push({ code: 'bad-line', file, line: 2, message: `expected 40 attribute names, got ${names.length}` });
  const seen = new Map<string, number>();
  for (let i = 2; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i];
    if (raw.trim() === '') {
      problems.push({ code: 'bad-line', file, line: lineNo, message: 'blank line inside the attribute rows' });
      continue;
    }
    if (/\S {3,}\S/.test(raw.trim()) || /\t/.test(raw)) {
      problems.push({ code: 'bad-line', file, line: lineNo, message: 'fields must be separated by one or two spaces' });
      continue;
    }
    const tok = raw.trim().split(/ {1,2}/);
    if (tok.length !== names.length + 1) {
      problems.push({ code: 'bad-line', file, line: lineNo, message: `expected a file name and ${names.length} values, got ${tok.length} fields` });
      continue;
    }
    const values = new Int8Array(names.length);
    let ok = true;
    for (let j = 0; j < names.length; j++) {
      const t = tok[j + 1];
      if (t !== '1' && t !== '-1') {
        problems.push({ code: 'bad-line', file, line: lineNo, message: `value of ${names[j]} must be 1 or -1, got '${t}'` });
        ok = false;
        break;
      }
      values[j] = t === '1' ? 1 : -1;
    }
    if (!ok) continue;
    const prev = seen.get(tok[0]);
    if (prev !== undefined) {
      problems.push({ code: 'duplicate-frame', file, line: lineNo, message: `${tok[0]} listed again (first on line ${prev})` });
      continue;
    }
    seen.set(tok[0], lineNo);
    rows.push({ file: tok[0], line: lineNo, values });
  }
  const dataLines = lines.length - 2;
  if (!Number.isNaN(declared) && declared !== dataLines) {
    problems.push({ code: 'frame-count', file, line: 1, message: `count line says ${declared} images, the file has ${dataLines} rows` });
  }
  return { names, rows };
}

/** Parses list_eval_partition.txt into file -> partition. */
export function parseCelebaPartition(text: string, file: string, problems: DataProblem[]): Map<string, CelebaPartition> {
  const out = new Map<string, CelebaPartition>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const m = /^(\S+)\s+([012])$/.exec(raw);
    if (!m) {
      problems.push({ code: 'bad-line', file, line: i + 1, message: `expected 'file 0|1|2', got '${raw.slice(0, 60)}'` });
      continue;
    }
    if (out.has(m[1])) {
      problems.push({ code: 'duplicate-frame', file, line: i + 1, message: `${m[1]} listed again` });
      continue;
    }
    out.set(m[1], CELEBA_PARTITIONS[Number(m[2])]);
  }
  return out;
}

export interface CelebaOptions {
  /** Attributes used as the target (default: the manifest's defaultTarget). */
  attributes?: string[];
  /** Partitions to keep (default all three); the partition is the record's `subject`. */
  partitions?: CelebaPartition[];
  /** Keep at most this many images per partition, evenly spread. */
  limit?: number;
  manifest?: string;
  /** Check that every image file exists (default true). */
  checkImages?: boolean;
}

export interface CelebaScan {
  root: string;
  manifestFile: string;
  attributes: string[];
  allAttributes: string[];
  frames: FrameRecord[];
  partitions: Record<CelebaPartition, number>;
  imagesDir: string | null;
  problems: DataProblem[];
}

function firstExisting(root: string, candidates: string[], problems: DataProblem[], manifestFile: string): { file: string | null; tried: string[] } {
  const tried: string[] = [];
  for (const c of candidates) {
    const abs = resolveInRoot(root, c, problems, manifestFile);
    if (!abs) continue;
    tried.push(abs);
    if (fs.existsSync(abs)) return { file: abs, tried };
  }
  return { file: null, tried };
}

/** Reads and validates a CelebA copy, collecting every problem. */
export function scanCeleba(rootIn: string, opts: CelebaOptions = {}): CelebaScan {
  const root = path.resolve(rootIn);
  const manifestFile = path.resolve(opts.manifest ?? path.join(MANIFEST_DIR, 'celeba.json'));
  const manifest = loadManifest('celeba', manifestFile);
  const problems: DataProblem[] = [];
  const partitions: Record<CelebaPartition, number> = { train: 0, val: 0, test: 0 };
  const empty = (attributes: string[]): CelebaScan => ({ root, manifestFile, attributes, allAttributes: [], frames: [], partitions, imagesDir: null, problems });

  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    problems.push({ code: 'missing-file', file: root, message: 'dataset root is not a directory' });
    return empty(opts.attributes ?? manifest.defaultTarget);
  }
  const attr = firstExisting(root, manifest.layout.attributes, problems, manifestFile);
  const part = firstExisting(root, manifest.layout.partition, problems, manifestFile);
  const imgs = firstExisting(root, manifest.layout.images, problems, manifestFile);
  if (!attr.file) problems.push({ code: 'missing-file', file: attr.tried[0] ?? root, message: `attribute list missing (looked for ${manifest.layout.attributes.join(', ')})` });
  if (!part.file) problems.push({ code: 'missing-file', file: part.tried[0] ?? root, message: `partition list missing (looked for ${manifest.layout.partition.join(', ')})` });
  if (!imgs.file && opts.checkImages !== false) problems.push({ code: 'missing-file', file: imgs.tried[0] ?? root, message: `image folder missing (looked for ${manifest.layout.images.join(', ')})` });
  const attributes = opts.attributes ?? manifest.defaultTarget;
  if (!attr.file) return empty(attributes);

  const parsed = parseCelebaAttributes(fs.readFileSync(attr.file, 'utf8'), attr.file, problems);
  const unknownNames = parsed.names.filter((n) => !manifest.attributes.includes(n));
  if (unknownNames.length) problems.push({ code: 'unknown-name', file: attr.file, line: 2, message: `unknown attribute name(s): ${unknownNames.join(', ')}` });
  const cols = attributes.map((a) => parsed.names.indexOf(a));
  const missingAttrs = attributes.filter((_, j) => cols[j] < 0);
  if (missingAttrs.length) {
    throw new Error(`CelebA: attribute(s) ${missingAttrs.join(', ')} not in ${attr.file} (valid: ${parsed.names.join(', ')})`);
  }
  const partitionOf = part.file ? parseCelebaPartition(fs.readFileSync(part.file, 'utf8'), part.file, problems) : new Map<string, CelebaPartition>();
  const imageSet = imgs.file && opts.checkImages !== false ? new Set(fs.readdirSync(imgs.file)) : null;
  const keep = new Set(opts.partitions ?? CELEBA_PARTITIONS);

  const byPartition: Record<CelebaPartition, FrameRecord[]> = { train: [], val: [], test: [] };
  for (const row of parsed.rows) {
    const p = partitionOf.get(row.file);
    if (part.file && p === undefined) {
      problems.push({ code: 'missing-frame', file: part.file, message: `${row.file} (line ${row.line} of ${path.basename(attr.file)}) has no partition` });
      continue;
    }
    if (imageSet && !imageSet.has(row.file)) {
      problems.push({ code: 'missing-file', file: path.join(imgs.file!, row.file), message: `image listed on line ${row.line} of ${path.basename(attr.file)} is missing` });
      continue;
    }
    if (!p) continue;
    partitions[p]++;
    if (!keep.has(p)) continue;
    const intensity: Record<string, number> = {};
    attributes.forEach((a, j) => (intensity[a] = row.values[cols[j]] === 1 ? 5 : 0));
    byPartition[p].push({ subject: p, frame: row.line - 2, image: path.join(imgs.file ?? root, row.file), intensity });
  }
  const frames: FrameRecord[] = [];
  for (const p of CELEBA_PARTITIONS) {
    const list = byPartition[p];
    if (opts.limit !== undefined && opts.limit < list.length) {
      const n = list.length;
      for (let i = 0; i < opts.limit; i++) frames.push(list[Math.floor(((i + 0.5) * n) / opts.limit)]);
    } else frames.push(...list);
  }
  return { root, manifestFile, attributes, allAttributes: parsed.names, frames, partitions, imagesDir: imgs.file, problems };
}

/** Loads CelebA as a DatasetIndex over `attributes`; throws a DatasetError listing every problem. */
export async function loadCeleba(root: string, opts: CelebaOptions = {}): Promise<DatasetIndex> {
  const scan = scanCeleba(root, opts);
  if (scan.problems.length) throw new DatasetError(`CelebA at ${scan.root}`, scan.problems);
  return {
    dataset: 'celeba',
    root: scan.root,
    aus: scan.attributes,
    frames: scan.frames,
    subjects: [...new Set(scan.frames.map((f) => f.subject))].sort(),
    aligned: scan.imagesDir !== null && path.basename(scan.imagesDir) === 'img_align_celeba',
  };
}
