/**
 * The manifest of a prepared set (`prepared.json`): what was prepared and its problems (frames without a face,
 * video/label count mismatches and the policy applied). Built only from the plan and the chunk records, with
 * no times, hosts or process ids, so an interrupted and resumed run, or several processes, write the same bytes.
 */
import * as path from 'path';
import { integerRanges } from '../util/ranges';
import type { ChunkRecord, EyeSource } from './prepare_chunk';
import { chunkDir, PREPARE_VERSION, type PlannedSubject, type PreparePlan, type PrepareSettings } from './prepare_plan';

export interface PreparedSubject extends PlannedSubject {
  aligned: Record<Exclude<EyeSource, 'none'>, number>;
  /** Frames (1-based) without a face, as inclusive ranges. */
  noFace: [number, number][];
}

export interface PreparedManifest {
  generator: 'fer-au data prepare';
  version: number;
  dataset: 'disfa';
  key: string;
  /** The dataset root this set was prepared from (absolute: the manifest lives in the cache, never in results). */
  root: string;
  settings: PrepareSettings;
  subjects: PreparedSubject[];
  totals: { frames: number; aligned: number; landmarks: number; detected: number; tracked: number; noFace: number };
  /** Video/label mismatches (first min(video, labels) frames used), subjects without landmarks. */
  warnings: string[];
}

export function buildPreparedManifest(plan: PreparePlan, records: ChunkRecord[]): PreparedManifest {
  const totals = { frames: 0, aligned: 0, landmarks: 0, detected: 0, tracked: 0, noFace: 0 };
  const warnings = plan.warnings.slice();
  const subjects = plan.subjects.map((s): PreparedSubject => {
    const aligned = { landmarks: 0, detected: 0, tracked: 0 };
    const none: number[] = [];
    for (const r of records.filter((c) => c.subject === s.id).sort((a, b) => a.start - b.start)) {
      r.sources.forEach((src, j) => {
        if (src === 'none') none.push(r.start + j);
        else aligned[src]++;
      });
    }
    if (s.landmarkFiles === 0) warnings.push(`${s.id}: no landmark files; aligned by face detection every ${plan.settings.detectEvery} frames with tracking between`);
    else if (s.landmarkFiles < s.frames) warnings.push(`${s.id}: landmark files for ${s.landmarkFiles} of ${s.frames} frames; the others aligned by detection and tracking`);
    if (none.length) warnings.push(`${s.id}: no face found in ${none.length} of ${s.frames} frames: left out`);
    totals.frames += s.frames;
    totals.landmarks += aligned.landmarks;
    totals.detected += aligned.detected;
    totals.tracked += aligned.tracked;
    totals.noFace += none.length;
    return { ...s, aligned, noFace: integerRanges(none) };
  });
  totals.aligned = totals.landmarks + totals.detected + totals.tracked;
  return { generator: 'fer-au data prepare', version: PREPARE_VERSION, dataset: 'disfa', key: plan.key, root: plan.root, settings: plan.settings, subjects, totals, warnings };
}

/** The crop of frame `frame` (1-based) of `subject` in the prepared set at `dir`, or null (no face / not prepared). */
export function preparedCrop(dir: string, m: PreparedManifest, subject: string, frame: number): string | null {
  const s = m.subjects.find((x) => x.id === subject);
  if (!s || frame < 1 || frame > s.frames) return null;
  if (s.noFace.some(([a, b]) => frame >= a && frame <= b)) return null;
  const start = Math.floor((frame - 1) / m.settings.chunk) * m.settings.chunk + 1;
  const end = Math.min(s.frames + 1, start + m.settings.chunk);
  return path.join(chunkDir(dir, subject, start, end), `${String(frame).padStart(5, '0')}.jpg`);
}
