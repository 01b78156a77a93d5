/**
 * Presence labels and dataset statistics as plain data (for training, the checker and notebooks).
 * Presence is intensity >= PRESENCE_THRESHOLD (2, i.e. FACS intensity B or more: the DISFA protocol).
 */
import { PRESENCE_THRESHOLD } from './aus';
import type { DatasetIndex, FrameRecord } from './types';

/**
 * 0/1 presence labels, row-major [frames.length, aus.length]: 1 where intensity >= threshold.
 * A frame without a value for one of `aus` is an error naming the frame and the AU.
 */
export function labelsOf(frames: FrameRecord[], aus: string[], threshold: number = PRESENCE_THRESHOLD): Float32Array {
  const out = new Float32Array(frames.length * aus.length);
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    for (let j = 0; j < aus.length; j++) {
      const v = f.intensity[aus[j]];
      if (v === undefined) throw new Error(`labelsOf: ${f.subject} frame ${f.frame} (${f.image}) has no label for ${aus[j]}`);
      out[i * aus.length + j] = v >= threshold ? 1 : 0;
    }
  }
  return out;
}

/** What `datasetStats` returns: counts only, JSON-ready. */
export interface DatasetStats {
  frames: number;
  subjects: string[];
  aus: string[];
  threshold: number;
  /** Frames where each AU is present. */
  positives: Record<string, number>;
  /** positives / frames. */
  rate: Record<string, number>;
  /** Per subject: frame count and positives per AU. */
  perSubject: Record<string, { frames: number; positives: Record<string, number> }>;
  /** Frames per intensity value 0..5 per AU. */
  intensityHistogram: Record<string, number[]>;
  /** cooccurrence[i][j] = frames where aus[i] and aus[j] are both present (diagonal = positives). */
  cooccurrence: number[][];
  /** Frames with no AU of `aus` present. */
  noneActive: number;
}

/** Positives per AU, per subject, intensity histograms and the co-occurrence matrix of `aus` in `index`. */
export function datasetStats(
  index: Pick<DatasetIndex, 'frames' | 'aus'>,
  aus: string[] = index.aus,
  threshold: number = PRESENCE_THRESHOLD,
): DatasetStats {
  const k = aus.length;
  const positives: Record<string, number> = {};
  const intensityHistogram: Record<string, number[]> = {};
  for (const au of aus) {
    positives[au] = 0;
    intensityHistogram[au] = [0, 0, 0, 0, 0, 0];
  }
  const co = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const perSubject: DatasetStats['perSubject'] = {};
  let noneActive = 0;
  const active: number[] = [];
  for (const f of index.frames) {
    let s = perSubject[f.subject];
    if (!s) {
      s = perSubject[f.subject] = { frames: 0, positives: Object.fromEntries(aus.map((a) => [a, 0])) };
    }
    s.frames++;
    active.length = 0;
    for (let j = 0; j < k; j++) {
      const v = f.intensity[aus[j]];
      if (v === undefined) throw new Error(`datasetStats: ${f.subject} frame ${f.frame} has no label for ${aus[j]}`);
      const bin = Math.max(0, Math.min(5, Math.round(v)));
      intensityHistogram[aus[j]][bin]++;
      if (v >= threshold) {
        active.push(j);
        positives[aus[j]]++;
        s.positives[aus[j]]++;
      }
    }
    if (active.length === 0) noneActive++;
    for (const a of active) for (const b of active) co[a][b]++;
  }
  const n = index.frames.length;
  return {
    frames: n,
    subjects: Object.keys(perSubject).sort(),
    aus: aus.slice(),
    threshold,
    positives,
    rate: Object.fromEntries(aus.map((a) => [a, n ? positives[a] / n : 0])),
    perSubject,
    intensityHistogram,
    cooccurrence: co,
    noneActive,
  };
}
