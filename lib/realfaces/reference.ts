/**
 * A weak but independent AU reference for real photos: face-api's expression classifier (trained on real faces;
 * neutral, happy, sad, angry, fearful, disgusted, surprised) mapped to AUs by the EMFACS prototypes (Friesen &
 * Ekman's EMFACS, as listed in issue 13): happy AU6+12; surprise AU1+2+5+26; anger AU4+5+7+23; sadness AU1+4+15;
 * disgust AU9+15; fear AU1+2+4+5+20+26. An AU's reference probability is the summed probability of the
 * expressions whose prototype holds it (the classes are exclusive, so the sum is the probability that the face
 * shows one of them). AU25 (lips part) takes AU26's: the prototypes' jaw drop parts the lips.
 * A face counts for an AU only where the reference is confident: present at >= 0.6, absent at <= 0.1.
 */
import { rocAuc } from '../metrics/roc_auc';
import { quantileSorted, seededDraws, type Interval } from '../metrics/bootstrap';

export const EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type Expression = (typeof EXPRESSIONS)[number];

/** EMFACS prototype AUs of each expression (face-api's class names). */
export const EMFACS_PROTOTYPES: Readonly<Record<Exclude<Expression, 'neutral'>, readonly number[]>> = Object.freeze({
  happy: [6, 12],
  surprised: [1, 2, 5, 26],
  angry: [4, 5, 7, 23],
  sad: [1, 4, 15],
  disgusted: [9, 15],
  fearful: [1, 2, 4, 5, 20, 26],
});

/** AUs that share another AU's reference. */
export const REFERENCE_ALIASES: Readonly<Record<number, number>> = Object.freeze({ 25: 26 });

export const PRESENT_AT = 0.6;
export const ABSENT_AT = 0.1;

const auName = (n: number) => `AU${String(n).padStart(2, '0')}`;

/** Reference probability of every AU the prototypes name (plus the aliases), from expression probabilities. */
export function auReference(expressions: Record<string, number>): Record<string, number> {
  for (const e of EXPRESSIONS) {
    const p = expressions[e];
    if (typeof p !== 'number' || !(p >= 0 && p <= 1 + 1e-6)) throw new Error(`auReference: expression '${e}' must be a probability, got ${p}`);
  }
  const out: Record<string, number> = {};
  for (const [expr, aus] of Object.entries(EMFACS_PROTOTYPES)) {
    for (const au of aus) out[auName(au)] = (out[auName(au)] ?? 0) + expressions[expr];
  }
  for (const [au, from] of Object.entries(REFERENCE_ALIASES)) out[auName(Number(au))] = out[auName(from)];
  for (const k of Object.keys(out)) out[k] = Math.min(1, out[k]);
  return out;
}

/** 1 (present, p >= 0.6), 0 (absent, p <= 0.1) or null (not confident, or no reference for the AU). */
export function referenceLabel(p: number | undefined): 0 | 1 | null {
  if (p === undefined) return null;
  if (p >= PRESENT_AT) return 1;
  if (p <= ABSENT_AT) return 0;
  return null;
}

export interface AuAgreement {
  au: string;
  /** Faces with a confident reference: present and absent. */
  positives: number;
  negatives: number;
  /** ROC AUC of the model's scores against the confident reference; null unless both classes occur. */
  auc: number | null;
  /** Percentile bootstrap over the confident faces (resamples with one class only are skipped); null with auc. */
  ci: (Interval & { resamples: number }) | null;
}

/**
 * Per-AU AUC of model scores against the reference, over the faces where the reference is confident, with a
 * 95% percentile bootstrap interval over those faces (`resamples` draws, seeded).
 */
export function referenceAgreement(
  faces: { scores: Record<string, number>; reference: Record<string, number> }[],
  aus: string[],
  opts: { resamples?: number; seed?: number } = {},
): AuAgreement[] {
  return aus.map((au) => {
    const y: number[] = [];
    const s: number[] = [];
    for (const f of faces) {
      const label = referenceLabel(f.reference[au]);
      if (label === null) continue;
      y.push(label);
      s.push(f.scores[au]);
    }
    const positives = y.filter((v) => v === 1).length;
    const auc = rocAuc(y, s);
    return { au, positives, negatives: y.length - positives, auc, ci: auc === null ? null : bootstrapAuc(y, s, auc, opts) };
  });
}

function bootstrapAuc(y: number[], s: number[], estimate: number, opts: { resamples?: number; seed?: number }): Interval & { resamples: number } {
  const draws = seededDraws(y.length, opts.resamples ?? 2000, opts.seed ?? 13);
  const values: number[] = [];
  for (const d of draws) {
    const v = rocAuc(d.map((i) => y[i]), d.map((i) => s[i]));
    if (v !== null) values.push(v);
  }
  values.sort((a, b) => a - b);
  return { estimate, low: quantileSorted(values, 0.025), high: quantileSorted(values, 0.975), resamples: values.length };
}
