/**
 * Where a detector's errors are, for intensity-coded AU labels (DISFA's 0..5): the rate of frames scored present
 * at each intensity, and each subject's false-positive and false-negative rates. A detector that is only wrong at
 * the presence boundary (intensity 1 scored present, 2 scored absent) is limited by the labels' threshold; one that
 * is wrong on every frame of one subject is limited by that subject's appearance (an identity the training
 * subjects did not cover). Pure: rows in, counts out.
 */
import { DEFAULT_THRESHOLD } from './confusion';

/** One scored frame: its subject, its label intensity per AU and its score per AU. */
export interface ScoredFrame {
  subject: string;
  intensity: Record<string, number>;
  score: Record<string, number>;
}

/** Frames at one intensity and how many were scored present. */
export interface IntensityCell {
  intensity: number;
  frames: number;
  scoredPresent: number;
}

/** One subject's errors for one AU (presence = intensity >= the presence threshold). */
export interface SubjectErrors {
  subject: string;
  negatives: number;
  falsePositives: number;
  positives: number;
  falseNegatives: number;
}

export interface AuErrorBreakdown {
  au: string;
  threshold: number;
  byIntensity: IntensityCell[];
  bySubject: SubjectErrors[];
  /** False positives and false negatives split by where they are. */
  falsePositives: { total: number; atIntensity0: number; belowThreshold: number };
  falseNegatives: { total: number; atThreshold: number; above: number };
}

/**
 * The breakdown of every AU in `aus`. `presence` is the intensity from which a label counts as present (DISFA: 2);
 * `thresholds` the score cut per AU (default 0.5).
 */
export function errorBreakdown(
  frames: readonly ScoredFrame[],
  aus: readonly string[],
  opts: { presence: number; thresholds?: Readonly<Record<string, number>> },
): AuErrorBreakdown[] {
  return aus.map((au) => {
    const threshold = opts.thresholds?.[au] ?? DEFAULT_THRESHOLD;
    const cells = new Map<number, IntensityCell>();
    const subjects = new Map<string, SubjectErrors>();
    const fp = { total: 0, atIntensity0: 0, belowThreshold: 0 };
    const fn = { total: 0, atThreshold: 0, above: 0 };
    for (const f of frames) {
      const i = f.intensity[au];
      const s = f.score[au];
      if (i === undefined || s === undefined) throw new Error(`errorBreakdown: frame of ${f.subject} has no ${i === undefined ? 'intensity' : 'score'} for ${au}`);
      const present = s >= threshold;
      const cell = cells.get(i) ?? { intensity: i, frames: 0, scoredPresent: 0 };
      cell.frames += 1;
      cell.scoredPresent += present ? 1 : 0;
      cells.set(i, cell);
      const e = subjects.get(f.subject) ?? { subject: f.subject, negatives: 0, falsePositives: 0, positives: 0, falseNegatives: 0 };
      if (i >= opts.presence) {
        e.positives += 1;
        if (!present) {
          e.falseNegatives += 1;
          fn.total += 1;
          if (i === opts.presence) fn.atThreshold += 1;
          else fn.above += 1;
        }
      } else {
        e.negatives += 1;
        if (present) {
          e.falsePositives += 1;
          fp.total += 1;
          if (i === 0) fp.atIntensity0 += 1;
          else fp.belowThreshold += 1;
        }
      }
      subjects.set(f.subject, e);
    }
    return {
      au,
      threshold,
      byIntensity: [...cells.values()].sort((a, b) => a.intensity - b.intensity),
      bySubject: [...subjects.values()].sort((a, b) => a.subject.localeCompare(b.subject)),
      falsePositives: fp,
      falseNegatives: fn,
    };
  });
}
