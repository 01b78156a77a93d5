/**
 * AU intensity trajectories of the synthetic DISFA set (labels only; no rendering).
 *
 * Model. A subject's video is a timeline of T = max(frames, 4845) frames (DISFA's length at 20 fps) with two
 * independent layers of episodes, as in spontaneous behaviour:
 * - an expression layer of mutually exclusive programs (surprise = AU1+AU2 (+AU5, +AU25/26), inner-brow raise =
 *   AU1 (+AU15), frown = AU4 (rarely +AU17), Duchenne smile = AU6+AU12 (+AU25), social smile = AU12, nose
 *   wrinkle = AU9, sad = AU15+AU17, ...);
 * - a mouth layer (talking = AU25, jaw drop = AU25+AU26).
 * An episode has an onset ramp, an apex plateau (level 1-5, possibly stepping by one level half-way) and an
 * offset ramp; intensities are the rounded envelope (integers 0-5, as DISFA). Episodes whose apex is 1 (and
 * "trace" AUs that only reach 1) give visible frames below the presence threshold.
 *
 * Calibration. Each program has a target presence fraction (frames with envelope >= 2 / T), solved in
 * `programRates()` so that the union of the programs gives each AU its target rate (Table 1 of the paper for the
 * 8 studied AUs). Per subject, episodes of a program are drawn until their presence frames reach the program's
 * budget T x rate x (subject propensity) (the last one kept with the probability that makes the expected total
 * exact), then placed in random order with random gaps on a circular timeline with a random rotation, so the
 * expected presence at every frame position equals the target rate. With fewer than 4845 frames the timeline is
 * sampled evenly (frame i shows time floor((i + 0.5) T / frames)), so 60-frame subjects have the same expected
 * rates and still see many episodes. Subject propensities (log-normal, normalised to mean 1 over the 27 DISFA
 * subjects) make subjects differ as real ones do.
 */
import { deriveSeed, Rng } from '../../util/rng';
import { DISFA_SUBJECTS } from '../folds';
import {
  DISFA_AUS, DISFA_FRAMES_PER_SUBJECT, PRESENCE_THRESHOLD, table1Rates, type DisfaAu,
} from '../aus';

/**
 * Presence rates of the 4 AUs the paper does not study (not in Table 1). Chosen for the synthetic set as small
 * rates of the order seen in DISFA; they are design parameters, not published numbers.
 */
export const OTHER_AU_RATES: Readonly<Record<'AU05' | 'AU15' | 'AU17' | 'AU20', number>> = Object.freeze({
  AU05: 0.015,
  AU15: 0.025,
  AU17: 0.06,
  AU20: 0.018,
});

/** Target presence rate (intensity >= 2) of every DISFA AU in the synthetic set. */
export function presenceTargets(): Record<DisfaAu, number> {
  return { ...table1Rates(), ...OTHER_AU_RATES } as Record<DisfaAu, number>;
}

/** A behaviour program: which AUs move together, how long the apex lasts, its share of frames. */
export interface Program {
  name: string;
  layer: 'expression' | 'mouth';
  /** Groups of AUs of the program; a group is included in an episode with probability p (1 = always). */
  aus: { aus: DisfaAu[]; p: number }[];
  /** AUs that may twitch to intensity 1 during the episode (probability 0.35 each): never present. */
  traces: DisfaAu[];
  /** Apex (plateau) length range in frames at 20 fps. */
  apex: [number, number];
  /** Fraction of frames in which the program's envelope is >= 2 (solved by `programRates`). */
  rate: number;
}

// Co-occurrence design: shares of AU2 frames that are surprise (AU1+AU2), of AU6 frames that are Duchenne
// smiles (AU6+AU12), and the inclusion probabilities of optional AUs. These produce P(AU2|AU1) ~ 0.7,
// P(AU12|AU6) ~ 0.85, P(AU26|AU25) ~ 0.3 > P(AU26) ~ 0.09, and AU4 mostly alone.
const SURPRISE_SHARE_OF_AU2 = 0.83;
const DUCHENNE_SHARE_OF_AU6 = 0.86;
const P_SURPRISE_AU5 = 0.3;
const P_SURPRISE_MOUTH = 0.3;
const P_INNER_AU15 = 0.3;
const P_FROWN_AU17 = 0.15;
const P_DUCHENNE_AU25 = 0.5;
const P_SOCIAL_AU25 = 0.3;
const P_DISGUST_AU25 = 0.3;
const P_STRETCH_AU25 = 0.5;

/**
 * The programs with their presence rates solved from `targets` (default: `presenceTargets()`): exclusive
 * programs add up within a layer; the mouth layer is independent of the expression layer, so
 * P(AU25) = 1 - (1 - a25)(1 - b25) with a25 from the expression layer and b25 from the mouth layer.
 */
export function programRates(targets: Record<DisfaAu, number> = presenceTargets()): Program[] {
  const m = targets;
  const surprise = SURPRISE_SHARE_OF_AU2 * Math.min(m.AU01, m.AU02);
  const inner = m.AU01 - surprise;
  const outer = m.AU02 - surprise;
  const duchenne = DUCHENNE_SHARE_OF_AU6 * Math.min(m.AU06, m.AU12);
  const cheek = m.AU06 - duchenne;
  const social = m.AU12 - duchenne;
  const frown = m.AU04;
  const disgust = m.AU09;
  const eyes = m.AU05 - P_SURPRISE_AU5 * surprise;
  const sad = m.AU15 - P_INNER_AU15 * inner;
  const chin = m.AU17 - P_FROWN_AU17 * frown - sad;
  const stretch = m.AU20;
  const a25 = P_SURPRISE_MOUTH * surprise + P_DUCHENNE_AU25 * duchenne + P_SOCIAL_AU25 * social
    + P_DISGUST_AU25 * disgust + P_STRETCH_AU25 * stretch;
  const a26 = P_SURPRISE_MOUTH * surprise;
  const jaw = 1 - (1 - m.AU26) / (1 - a26);
  const talk = 1 - (1 - m.AU25) / (1 - a25) - jaw;
  const rates: Record<string, number> = { surprise, inner, outer, duchenne, cheek, social, frown, disgust, eyes, sad, chin, stretch, jaw, talk };
  for (const [k, v] of Object.entries(rates)) {
    if (!(v >= 0)) throw new Error(`programRates: targets give program '${k}' a negative rate (${v}); lower the co-occurrence shares`);
  }
  const P = (name: string, layer: Program['layer'], aus: [DisfaAu | DisfaAu[], number][], traces: DisfaAu[], apex: [number, number]): Program =>
    ({ name, layer, aus: aus.map(([a, p]) => ({ aus: Array.isArray(a) ? a : [a], p })), traces, apex, rate: rates[name] });
  return [
    // surprise may drop the jaw with the lips apart: AU25 and AU26 as one optional group
    P('surprise', 'expression', [['AU01', 1], ['AU02', 1], ['AU05', P_SURPRISE_AU5], [['AU25', 'AU26'], P_SURPRISE_MOUTH]], ['AU05'], [10, 60]),
    P('inner', 'expression', [['AU01', 1], ['AU15', P_INNER_AU15]], ['AU04', 'AU02'], [15, 90]),
    P('outer', 'expression', [['AU02', 1]], ['AU01'], [10, 60]),
    P('frown', 'expression', [['AU04', 1], ['AU17', P_FROWN_AU17]], ['AU09', 'AU17'], [20, 220]),
    P('duchenne', 'expression', [['AU06', 1], ['AU12', 1], ['AU25', P_DUCHENNE_AU25]], ['AU26'], [20, 160]),
    P('cheek', 'expression', [['AU06', 1]], ['AU12'], [10, 60]),
    P('social', 'expression', [['AU12', 1], ['AU25', P_SOCIAL_AU25]], ['AU06'], [15, 140]),
    P('disgust', 'expression', [['AU09', 1], ['AU25', P_DISGUST_AU25]], ['AU04', 'AU06'], [10, 80]),
    P('eyes', 'expression', [['AU05', 1]], ['AU01'], [8, 40]),
    P('sad', 'expression', [['AU15', 1], ['AU17', 1]], ['AU01', 'AU04'], [15, 100]),
    P('chin', 'expression', [['AU17', 1]], ['AU15'], [10, 70]),
    P('stretch', 'expression', [['AU20', 1], ['AU25', P_STRETCH_AU25]], ['AU12'], [8, 50]),
    P('jaw', 'mouth', [['AU25', 1], ['AU26', 1]], [], [6, 50]),
    P('talk', 'mouth', [['AU25', 1]], ['AU26'], [4, 40]),
  ];
}

/** Apex level distribution (levels 1..5); level-1 episodes are visible but never present. */
const APEX_LEVEL_P = [0.15, 0.3, 0.27, 0.17, 0.11];
const PROPENSITY_SIGMA = 0.4;
/** Largest share of the timeline one layer's episodes may fill (the rest are neutral gaps). */
const MAX_OCCUPANCY = 0.92;
const TRACE_P = 0.35;

interface Episode {
  length: number;
  /** Envelope per frame of the episode (integers 0..5). */
  env: Uint8Array;
  /** Frames with envelope >= PRESENCE_THRESHOLD. */
  present: number;
  /** AU -> intensity per frame of the episode. */
  aus: [DisfaAu, Uint8Array][];
}

function smoothstep(x: number): number {
  return x * x * (3 - 2 * x);
}

function sampleLevel(rng: Rng): number {
  let u = rng.next();
  for (let l = 0; l < APEX_LEVEL_P.length; l++) {
    u -= APEX_LEVEL_P[l];
    if (u < 0) return l + 1;
  }
  return APEX_LEVEL_P.length;
}

function sampleEpisode(program: Program, rng: Rng): Episode {
  const onset = rng.int(6, 24);
  const offset = rng.int(8, 32);
  const apexLen = rng.int(program.apex[0], program.apex[1]);
  const level = sampleLevel(rng);
  // a long plateau at level >= 3 may step by one level half-way (never below 2: presence is unchanged)
  let level2 = level;
  let split = apexLen;
  if (apexLen >= 40 && level >= 3) {
    level2 = Math.max(2, Math.min(5, level + rng.int(-1, 1)));
    split = rng.int(Math.floor(apexLen / 4), Math.floor((3 * apexLen) / 4));
  }
  const length = onset + apexLen + offset;
  const env = new Uint8Array(length);
  for (let j = 0; j < onset; j++) env[j] = Math.round(level * smoothstep((j + 1) / (onset + 1)));
  for (let j = 0; j < apexLen; j++) env[onset + j] = j < split ? level : level2;
  const endLevel = apexLen > split ? level2 : level;
  for (let j = 0; j < offset; j++) env[onset + apexLen + j] = Math.round(endLevel * (1 - smoothstep((j + 1) / (offset + 1))));
  let present = 0;
  for (let j = 0; j < length; j++) if (env[j] >= PRESENCE_THRESHOLD) present++;
  const aus: [DisfaAu, Uint8Array][] = [];
  for (const group of program.aus) {
    if (group.p < 1 && !rng.bernoulli(group.p)) continue;
    for (const au of group.aus) {
      // per-AU offset of -1/0/+1 applied only at envelope >= 3, so each AU's presence equals the envelope's
      const delta = rng.pick([-1, 0, 0, 1]);
      const v = new Uint8Array(length);
      for (let j = 0; j < length; j++) v[j] = env[j] >= 3 ? Math.max(2, Math.min(5, env[j] + delta)) : env[j];
      aus.push([au, v]);
    }
  }
  for (const au of program.traces) {
    if (!rng.bernoulli(TRACE_P) || aus.some(([a]) => a === au)) continue;
    const v = new Uint8Array(length);
    for (let j = 0; j < length; j++) v[j] = env[j] >= 2 ? 1 : 0;
    aus.push([au, v]);
  }
  return { length, env, present, aus };
}

/** Log-normal propensity of each of the 27 DISFA subjects for each program, normalised to mean 1 per program. */
function propensities(seed: number, programs: Program[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const raw = DISFA_SUBJECTS.map((s) => {
    const rng = new Rng(deriveSeed(seed, 'propensity', s));
    return programs.map(() => Math.exp(PROPENSITY_SIGMA * rng.normal()));
  });
  const means = programs.map((_, k) => raw.reduce((a, r) => a + r[k], 0) / raw.length);
  DISFA_SUBJECTS.forEach((s, i) => out.set(s, raw[i].map((v, k) => v / means[k])));
  return out;
}

/** Draws one layer's episodes for a subject and writes them (max) into `tracks` on a circular timeline. */
function fillLayer(programs: Program[], mult: number[], T: number, rng: Rng, tracks: Record<DisfaAu, Uint8Array>): void {
  const episodes: Episode[] = [];
  programs.forEach((program, k) => {
    const budget = T * program.rate * mult[k];
    let acc = 0;
    for (;;) {
      const ep = sampleEpisode(program, rng);
      if (ep.present === 0) {
        episodes.push(ep);
        continue;
      }
      if (acc + ep.present <= budget) {
        episodes.push(ep);
        acc += ep.present;
      } else {
        // keep the last one with the probability that makes E[presence frames] = budget exactly
        if (rng.next() < (budget - acc) / ep.present) episodes.push(ep);
        break;
      }
    }
  });
  rng.shuffle(episodes);
  let total = episodes.reduce((a, e) => a + e.length, 0);
  while (total > MAX_OCCUPANCY * T && episodes.length) total -= episodes.pop()!.length;
  const free = T - total;
  const w = episodes.map(() => -Math.log(1 - rng.next())); // exponential gaps, normalised to the free time
  const wSum = w.reduce((a, b) => a + b, 0) || 1;
  const rotation = rng.int(0, T - 1);
  let cumGap = 0;
  let cumLen = 0;
  episodes.forEach((ep, i) => {
    cumGap += (free * w[i]) / wSum;
    const start = rotation + cumLen + Math.floor(cumGap);
    for (const [au, v] of ep.aus) {
      const track = tracks[au];
      for (let j = 0; j < ep.length; j++) {
        const t = (start + j) % T;
        if (v[j] > track[t]) track[t] = v[j];
      }
    }
    cumLen += ep.length;
  });
}

/** Frames per subject: `frames`, except SN010 which has 4844 when frames = 4845 (as real DISFA). */
export function framesForSubject(subject: string, frames: number): number {
  return frames === DISFA_FRAMES_PER_SUBJECT && subject === 'SN010' ? frames - 1 : frames;
}

/** The first `n` DISFA subject ids, in DISFA's order (SN001 ... SN032). */
export function syntheticSubjects(n: number = DISFA_SUBJECTS.length): string[] {
  if (!Number.isInteger(n) || n < 1 || n > DISFA_SUBJECTS.length) {
    throw new Error(`syntheticSubjects: n must be an integer in [1, ${DISFA_SUBJECTS.length}], got ${n}`);
  }
  return DISFA_SUBJECTS.slice(0, n);
}

/** One subject's labels: intensity per AU per frame (frame i of the files is index i - 1). */
export interface SubjectLabels {
  subject: string;
  frames: number;
  /** Position of each frame on the subject's timeline (drives the smooth head motion of the renderer). */
  time: Float64Array;
  /** Timeline length T. */
  timelineLength: number;
  intensity: Record<DisfaAu, Uint8Array>;
}

const programCache = new Map<string, Program[]>();
const propensityCache = new Map<number, Map<string, number[]>>();

/**
 * The AU intensities of one synthetic subject, deterministic from (seed, subject, frames).
 * `frames` is the requested frames per subject (4845 gives SN010 4844 frames).
 */
export function synthesizeSubjectLabels(opts: { seed: number; subject: string; frames: number }): SubjectLabels {
  const { seed, subject } = opts;
  if (!DISFA_SUBJECTS.includes(subject)) throw new Error(`synthesizeSubjectLabels: '${subject}' is not a DISFA subject id`);
  if (!Number.isInteger(opts.frames) || opts.frames < 1) throw new Error(`synthesizeSubjectLabels: frames must be a positive integer, got ${opts.frames}`);
  const programs = programCache.get('default') ?? programRates();
  programCache.set('default', programs);
  let props = propensityCache.get(seed);
  if (!props) {
    props = propensities(seed, programs);
    if (propensityCache.size > 16) propensityCache.clear();
    propensityCache.set(seed, props);
  }
  const mult = props.get(subject)!;
  const T = Math.max(opts.frames, DISFA_FRAMES_PER_SUBJECT);
  const tracks = {} as Record<DisfaAu, Uint8Array>;
  for (const au of DISFA_AUS) tracks[au] = new Uint8Array(T);
  for (const layer of ['expression', 'mouth'] as const) {
    const idx = programs.map((p, k) => (p.layer === layer ? k : -1)).filter((k) => k >= 0);
    fillLayer(idx.map((k) => programs[k]), idx.map((k) => mult[k]), T, new Rng(deriveSeed(seed, 'labels', subject, layer)), tracks);
  }
  const n = framesForSubject(subject, opts.frames);
  const time = new Float64Array(n);
  const intensity = {} as Record<DisfaAu, Uint8Array>;
  for (const au of DISFA_AUS) intensity[au] = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const t = opts.frames >= T ? i : Math.floor(((i + 0.5) * T) / opts.frames);
    time[i] = t;
    for (const au of DISFA_AUS) intensity[au][i] = tracks[au][t];
  }
  return { subject, frames: n, time, timelineLength: T, intensity };
}

/** Labels of the first `subjects` DISFA subjects (default all 27) with `frames` frames each (default 4845). */
export function synthesizeLabels(opts: { seed: number; subjects?: number; frames?: number }): SubjectLabels[] {
  const frames = opts.frames ?? DISFA_FRAMES_PER_SUBJECT;
  return syntheticSubjects(opts.subjects ?? DISFA_SUBJECTS.length).map((subject) => synthesizeSubjectLabels({ seed: opts.seed, subject, frames }));
}

/** A DISFA label file: one `frame,intensity` line per frame, 1-based and consecutive, '\n' endings. */
export function formatLabelFile(values: ArrayLike<number>): string {
  const lines = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) lines[i] = `${i + 1},${values[i]}`;
  return lines.join('\n') + '\n';
}
