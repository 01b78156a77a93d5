/**
 * What `data prepare` will do for a DISFA copy: per subject the frame source (video, or a folder of unaligned
 * images), how many frames are used, the landmark files, and the chunks; plus the prepared set's key and
 * folder. Pure planning: nothing is decoded or written here.
 *
 * Mismatch policy: when a video and its labels disagree on the frame count, the first min(video, labels)
 * frames are used and a warning names the subject and both counts (scanDisfa reports it as a warning).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_ALIGN } from './align/geometry';
import { contentKey } from './cache';
import { DISFA_LANDMARK_DIR, indexDisfaLandmarks } from './disfa_landmarks';
import { scanDisfa, type DisfaScan } from './disfa_scan';
import { fillTemplate } from './manifest';
import type { ChunkTask } from './prepare_chunk';
import { DatasetError } from './types';
import { probeVideo } from './video';

export const PREPARE_VERSION = 1;
export const PREPARED_FILE = 'prepared.json';
export const PLAN_FILE = 'plan.json';

export interface PrepareSettings {
  /** Crop side in pixels (default 256: room for a 224 crop). */
  size: number;
  eyeDistance: number;
  eyeY: number;
  /** JPEG quality of the crops (default 92). */
  quality: number;
  /** Frames per chunk (the unit of resuming and of sharing between processes; default 500). */
  chunk: number;
  /** Without landmarks: run the detector on every k-th frame and track in between (default 5). */
  detectEvery: number;
  detector: 'ssd' | 'tiny' | 'auto';
  minConfidence: number;
}

export const DEFAULT_PREPARE: PrepareSettings = Object.freeze({
  size: 256, eyeDistance: DEFAULT_ALIGN.eyeDistance, eyeY: DEFAULT_ALIGN.eyeY, quality: 92, chunk: 500, detectEvery: 5, detector: 'auto', minConfidence: 0.5,
});

export interface PlannedSubject {
  id: string;
  source: 'video' | 'images';
  /** The video or the frames folder, relative to the root. */
  file: string;
  labelFrames: number;
  sourceFrames: number;
  /** Frames used: 1..frames. */
  frames: number;
  landmarkFiles: number;
  /** The number of the landmark file of frame 1 (see disfa_landmarks.ts), or null without landmarks. */
  landmarkBase: number | null;
}

export interface PreparePlan {
  root: string;
  key: string;
  dir: string;
  settings: PrepareSettings;
  subjects: PlannedSubject[];
  chunks: ChunkTask[];
  warnings: string[];
  totalFrames: number;
}

/** Where prepared sets live by default: FER_CACHE_DIR, else $XDG_CACHE_HOME/fer-au, else ~/.cache/fer-au (never the repository). */
export function preparedCacheRoot(): string {
  const env = process.env.FER_CACHE_DIR;
  if (env && env.trim()) return path.resolve(env);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && xdg.trim() ? path.resolve(xdg) : path.join(os.homedir(), '.cache'), 'fer-au');
}

function validate(s: PrepareSettings): void {
  const int = (v: number, lo: number, hi: number, name: string) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`data prepare: ${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  int(s.size, 32, 1024, 'size');
  int(s.quality, 1, 100, 'quality');
  int(s.chunk, 1, 100000, 'chunk');
  int(s.detectEvery, 1, 1000, 'detectEvery');
  if (!['ssd', 'tiny', 'auto'].includes(s.detector)) throw new Error(`data prepare: detector must be ssd, tiny or auto, got '${s.detector}'`);
}

/** Subject sources and landmark indexes of a scanned copy. */
function planSubjects(scan: DisfaScan): { subjects: PlannedSubject[]; sources: Map<string, ChunkTask['source']>; landmarks: Map<string, Map<number, string>> } {
  const subjects: PlannedSubject[] = [];
  const sources = new Map<string, ChunkTask['source']>();
  const landmarks = new Map<string, Map<number, string>>();
  const byId = new Map<string, string[]>();
  for (const f of scan.frames) {
    const list = byId.get(f.subject) ?? [];
    list.push(f.image);
    byId.set(f.subject, list);
  }
  const lmTemplate = (scan.manifest.layout as { landmarks?: string }).landmarks ?? DISFA_LANDMARK_DIR;
  for (const s of scan.subjects) {
    const lm = indexDisfaLandmarks(path.join(scan.root, fillTemplate(lmTemplate, { subject: s.id })));
    landmarks.set(s.id, lm?.files ?? new Map());
    const images = byId.get(s.id) ?? [];
    if (s.video !== undefined) {
      const file = path.join(scan.root, s.video);
      const info = probeVideo(file);
      const frames = Math.min(info.frames, s.frames);
      sources.set(s.id, { kind: 'video', file, fps: info.fps, width: info.width, height: info.height });
      subjects.push({ id: s.id, source: 'video', file: s.video, labelFrames: s.frames, sourceFrames: info.frames, frames, landmarkFiles: lm?.files.size ?? 0, landmarkBase: lm && lm.files.size ? lm.base : null });
    } else {
      sources.set(s.id, { kind: 'images', files: images });
      const dir = images.length ? path.relative(scan.root, path.dirname(images[0])) : '';
      subjects.push({ id: s.id, source: 'images', file: dir, labelFrames: s.frames, sourceFrames: s.images ?? images.length, frames: images.length, landmarkFiles: lm?.files.size ?? 0, landmarkBase: lm && lm.files.size ? lm.base : null });
    }
  }
  return { subjects, sources, landmarks };
}

/**
 * Plans the preparation of the DISFA copy at `root`. Throws a DatasetError for problems (bad labels, missing
 * files); frame-count mismatches between a video and its labels are warnings (the policy above).
 * `out`: the prepared set's folder (default `<cacheRoot>/prepared/disfa-<key>`).
 */
export function planPrepare(root: string, opts: { out?: string; cacheRoot?: string; settings?: Partial<PrepareSettings>; manifest?: string } = {}): PreparePlan {
  const settings: PrepareSettings = { ...DEFAULT_PREPARE, ...opts.settings };
  validate(settings);
  const scan = scanDisfa(root, { probeVideos: true, manifest: opts.manifest });
  if (scan.problems.length) throw new DatasetError(`DISFA at ${scan.root}`, scan.problems);
  if (scan.aligned) throw new Error(`${scan.root}: already aligned (a synthetic set in the frames layout): nothing to prepare`);
  const { subjects, sources, landmarks } = planSubjects(scan);
  const realRoot = fs.realpathSync(scan.root);
  const identity = subjects.map((s) => {
    const st = fs.statSync(path.join(scan.root, s.file));
    return [s.id, s.file, st.size, Math.round(st.mtimeMs), s.frames, s.landmarkFiles, s.landmarkBase];
  });
  const key = contentKey(PREPARE_VERSION, realRoot, identity, settings).slice(0, 16);
  const dir = path.resolve(opts.out ?? path.join(opts.cacheRoot ?? preparedCacheRoot(), 'prepared', `disfa-${key}`));
  const chunks: ChunkTask[] = [];
  for (const s of subjects) {
    const src = sources.get(s.id)!;
    const lm = landmarks.get(s.id)!;
    for (let start = 1; start <= s.frames; start += settings.chunk) {
      const end = Math.min(s.frames + 1, start + settings.chunk);
      const source = src.kind === 'images' ? { kind: 'images' as const, files: src.files.slice(start - 1, end - 1) } : src;
      chunks.push({
        subject: s.id, start, end, source, settings,
        dir: chunkDir(dir, s.id, start, end),
        landmarks: Array.from({ length: end - start }, (_, j) => lm.get(start + j) ?? null),
      });
    }
  }
  const warnings = scan.warnings.map((w) => w.message.startsWith(w.file) ? w.message : `${path.relative(scan.root, w.file)}: ${w.message}`);
  return { root: scan.root, key, dir, settings, subjects, chunks, warnings, totalFrames: subjects.reduce((a, s) => a + s.frames, 0) };
}

/** The folder of the chunk holding frames [start, end) of `subject`. */
export function chunkDir(setDir: string, subject: string, start: number, end: number): string {
  return path.join(setDir, 'frames', subject, `${String(start).padStart(5, '0')}-${String(end - 1).padStart(5, '0')}`);
}
