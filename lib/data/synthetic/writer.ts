/**
 * Writes the synthetic DISFA set in DISFA's layout (team/contracts.md):
 *
 *   OUT/ActionUnit_Labels/SNxxx/SNxxx_au{N}.txt   N in 1 2 4 5 6 9 12 15 17 20 25 26; lines `frame,intensity`,
 *                                                frame 1-based and consecutive, intensity 0-5, '\n' endings
 *   OUT/Frames_LeftCamera/SNxxx/{frame:05d}.jpg   00001.jpg ... aligned square face crops, size x size, JPEG
 *   OUT/fer-au-synthetic.json                    provenance: {generator, version, seed, size, quality, subjects,
 *                                                framesPerSubject, frames, aligned: true, identities, labelStats}
 *
 * Interrupted runs are detected and resumed: OUT/.fer-au-synthetic.partial.json (the options) is written
 * first; a subject's label files are written (atomically) only after all its frames, so a subject is complete
 * when its 12 label files hold exactly the expected labels and all its frame files exist; the provenance file
 * is written last and the partial marker removed. A rerun with the same options skips complete subjects and
 * re-renders the others; a rerun with other options into the same folder is refused.
 *
 * With `layout: 'video'` the set is written in DISFA's raw layout instead of Frames_LeftCamera (video_layout.ts):
 * OUT/Videos_LeftCamera/LeftVideoSNxxx_comp.avi and OUT/Landmark_Points/SNxxx/tmp_frame_lm/SNxxx_{i:04d}_lm.mat,
 * one task a subject (a video is one stream), written to temporary names (lib/util/temp.ts; those a killed run
 * left are removed) renamed when the subject is done;
 * the provenance then says aligned: false, and `fer-au data prepare` aligns it from the landmarks.
 *
 * Frames are rendered by worker threads (`workers`, default min(2, cores)); every frame depends only on
 * (seed, subject, frame), so the bytes (provenance included: it holds no timestamp) do not depend on the number
 * of workers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../../util/fs';
import { removeDeadTemps, tempFor } from '../../util/temp';
import { DISFA_AUS, DISFA_FRAMES_PER_SUBJECT, PRESENCE_THRESHOLD, auNumber, type DisfaAu } from '../aus';
import { sampleIdentity, type Identity } from './identity';
import { FaceRenderer } from './render';
import { formatLabelFile, synthesizeSubjectLabels, syntheticSubjects, type SubjectLabels } from './trajectory';
import { frameIntensities, frameNuisance } from './frame';
import { SYNTHETIC_REALISM } from './realism';
import { cameraTransform, DEFAULT_FRAME_SIZE, landmarkDir, renderedLandmarks, startEncoder, VideoComposer, videoFile, writeLandmarkFile } from './video_layout';
import { coreCount } from '../../util/cores';

export const SYNTHETIC_GENERATOR = 'fer-au synthetic DISFA';
/** Bumped whenever the same options would produce different bytes. */
export const SYNTHETIC_VERSION = 2;
export const PROVENANCE_FILE = 'fer-au-synthetic.json';
export const PARTIAL_FILE = '.fer-au-synthetic.partial.json';
const CHUNK = 500;

export interface SynthOptions {
  /** Output root (created if missing; must be empty or hold a synthetic set written with the same options). */
  out: string;
  /** The first N DISFA subject ids (default 27). */
  subjects?: number;
  /** Frames per subject (default 4845; SN010 then has 4844, as real DISFA). */
  frames?: number;
  /** Image side in pixels (default 224). */
  size?: number;
  seed?: number;
  /** JPEG quality 1-100 (default 90). */
  quality?: number;
  /** Worker threads (default: min(2, cores), or none for fewer than 200 frames; 0 renders on the calling thread). */
  workers?: number;
  /** 'frames' (default): aligned crops in Frames_LeftCamera; 'video': DISFA's videos + 66-point landmark files. */
  layout?: 'frames' | 'video';
  /** Video frame [width, height] for layout 'video' (default DISFA's [1024, 768]). */
  frameSize?: [number, number];
  onProgress?: (done: number, total: number) => void;
}

export interface SynthSummary {
  out: string;
  seed: number;
  size: number;
  subjects: string[];
  framesPerSubject: number;
  /** Frames in the set. */
  frames: number;
  /** Frames rendered by this call (0 when everything was already complete). */
  rendered: number;
  /** Subjects found complete and skipped. */
  skipped: string[];
  seconds: number;
  /** Rendered frames per second of wall time (including writing). */
  framesPerSecond: number;
  provenance: string;
}

/** Options that fix the bytes of a set (a resumed run must match them). */
interface SetKey {
  generator: string;
  version: number;
  seed: number;
  size: number;
  quality: number;
  framesPerSubject: number;
  /** Only in video-layout sets (so frame-layout keys stay as they were). */
  layout?: 'video';
  frameWidth?: number;
  frameHeight?: number;
}

/** One unit of work for a renderer: frames [start, end) (0-based) of a subject. */
export interface RenderTask {
  id: number;
  out: string;
  subject: string;
  start: number;
  end: number;
  frames: number;
  size: number;
  seed: number;
  quality: number;
  /** Set for layout 'video': the frame size. */
  video?: { width: number; height: number };
}

export function labelFile(out: string, subject: string, au: DisfaAu): string {
  return path.join(out, 'ActionUnit_Labels', subject, `${subject}_au${auNumber(au)}.txt`);
}

export function frameFile(out: string, subject: string, frame: number): string {
  return path.join(out, 'Frames_LeftCamera', subject, `${String(frame).padStart(5, '0')}.jpg`);
}

// per-thread caches: a task renders consecutive frames of one subject
let cached: { key: string; labels: SubjectLabels; identity: Identity } | null = null;
let renderer: FaceRenderer | null = null;

/** Renders and writes frames [start, end) of a task's subject; calls `progress(n)` every few frames. */
export function renderFrameRange(task: RenderTask, progress: (n: number) => void = () => {}): void {
  const key = `${task.seed}:${task.subject}:${task.frames}`;
  if (!cached || cached.key !== key) {
    cached = {
      key,
      labels: synthesizeSubjectLabels({ seed: task.seed, subject: task.subject, frames: task.frames }),
      identity: sampleIdentity(task.seed, task.subject),
    };
  }
  if (!renderer || renderer.size !== task.size) renderer = new FaceRenderer(task.size);
  const { labels, identity } = cached;
  fs.mkdirSync(path.dirname(frameFile(task.out, task.subject, 1)), { recursive: true });
  let pending = 0;
  for (let i = task.start; i < task.end; i++) {
    renderer.render(identity, frameIntensities(labels, i), frameNuisance(task.seed, identity, labels, i));
    fs.writeFileSync(frameFile(task.out, task.subject, i + 1), renderer.jpeg(task.quality));
    if (++pending === 25) {
      progress(pending);
      pending = 0;
    }
  }
  if (pending) progress(pending);
}

function sameKey(a: Partial<SetKey>, b: SetKey): boolean {
  // The provenance file describes its layout as an object of file patterns; the partial marker and the key carry
  // 'video' or nothing. A set is a video set when either form says so.
  const l = a.layout as unknown;
  const video = l === 'video' || (typeof l === 'object' && l !== null && 'video' in l);
  return video === (b.layout === 'video') && (Object.keys(b) as (keyof SetKey)[]).every((k) => k === 'layout' || a[k] === b[k]);
}

/** Renders a subject's frames into its video and landmark files (layout 'video'), under temporary names renamed at the end. */
export async function renderSubjectVideo(task: RenderTask, progress: (n: number) => void = () => {}): Promise<void> {
  const { width, height } = task.video!;
  const labels = synthesizeSubjectLabels({ seed: task.seed, subject: task.subject, frames: task.frames });
  const identity = sampleIdentity(task.seed, task.subject);
  const r = renderer && renderer.size === task.size ? renderer : (renderer = new FaceRenderer(task.size));
  const composer = new VideoComposer(width, height);
  const video = videoFile(task.out, task.subject), lmDir = landmarkDir(task.out, task.subject);
  const tmpVideo = tempFor(video), tmpLm = tempFor(lmDir);
  fs.mkdirSync(path.dirname(video), { recursive: true });
  // what a killed run left of this subject (or another) is garbage
  removeDeadTemps(path.dirname(video));
  removeDeadTemps(path.dirname(lmDir));
  fs.rmSync(tmpLm, { recursive: true, force: true });
  fs.mkdirSync(tmpLm, { recursive: true });
  const enc = startEncoder(tmpVideo, width, height);
  // the composer double-buffers: a frame's bytes stay valid until the compose after next, so at most two frames
  // are in the pipe while the next one renders (ffmpeg encodes in parallel with the rendering)
  const inPipe: Promise<void>[] = [];
  let pending = 0;
  for (let i = 0; i < labels.frames; i++) {
    const nz = frameNuisance(task.seed, identity, labels, i);
    r.render(identity, frameIntensities(labels, i), nz);
    const cam = cameraTransform(task.seed, task.subject, i, task.size, width, height);
    if (inPipe.length === 2) await inPipe.shift();
    inPipe.push(enc.write(composer.compose(r.canvas(), cam, identity.background.base)));
    writeLandmarkFile(tmpLm, task.subject, i + 1, renderedLandmarks(identity, nz, task.size), cam);
    if (++pending === 25) {
      progress(pending);
      pending = 0;
    }
  }
  await Promise.all(inPipe);
  await enc.close();
  if (pending) progress(pending);
  fs.rmSync(lmDir, { recursive: true, force: true });
  fs.renameSync(tmpLm, lmDir);
  fs.renameSync(tmpVideo, video);
}

function describeKey(k: Partial<SetKey>): string {
  return `seed ${k.seed}, size ${k.size}, frames ${k.framesPerSubject}, quality ${k.quality}, version ${k.version}`;
}

/** True when the subject's label files hold exactly `labels` and all its frames (or its video and landmarks) exist. */
function subjectComplete(out: string, labels: SubjectLabels, video: boolean): boolean {
  for (const au of DISFA_AUS) {
    const f = labelFile(out, labels.subject, au);
    if (!fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== formatLabelFile(labels.intensity[au])) return false;
  }
  if (video) {
    const lm = landmarkDir(out, labels.subject);
    return fs.existsSync(videoFile(out, labels.subject)) && fs.existsSync(lm) && fs.readdirSync(lm).length === labels.frames;
  }
  const dir = path.dirname(frameFile(out, labels.subject, 1));
  if (!fs.existsSync(dir)) return false;
  const have = new Set(fs.readdirSync(dir));
  for (let i = 1; i <= labels.frames; i++) if (!have.has(path.basename(frameFile(out, labels.subject, i)))) return false;
  return true;
}

function defaultWorkers(): number {
  const cores = coreCount();
  return Math.max(1, Math.min(2, cores));
}

function spawnWorker(): Worker {
  const file = path.join(__dirname, `worker${path.extname(__filename)}`);
  if (__filename.endsWith('.ts')) {
    // running from TypeScript sources: register ts-node in the worker with this checkout's tsconfig
    // (not one found from the working directory)
    const tsNode = require.resolve('ts-node');
    const project = path.resolve(__dirname, '..', '..', '..', 'tsconfig.json');
    const opts = JSON.stringify({ transpileOnly: true, ...(fs.existsSync(project) ? { project } : {}) });
    return new Worker(`require(${JSON.stringify(tsNode)}).register(${opts}); require(${JSON.stringify(file)});`, { eval: true });
  }
  return new Worker(file);
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; diagnosticText?: unknown };
    return String(e.diagnosticText ?? e.message ?? JSON.stringify(err));
  }
  return String(err);
}

/** Runs tasks on `n` workers (or inline when n = 0); `onFrames(k)` after every k rendered frames. */
async function runTasks(tasks: RenderTask[], n: number, onFrames: (k: number) => void, onTaskDone: (t: RenderTask) => void): Promise<void> {
  if (n === 0) {
    for (const t of tasks) {
      if (t.video) await renderSubjectVideo(t, onFrames);
      else renderFrameRange(t, onFrames);
      onTaskDone(t);
    }
    return;
  }
  const queue = tasks.slice();
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let failed = false;
      const feed = (w: Worker) => {
        const t = queue.shift();
        if (!t) {
          if (running === 0) resolve();
          return;
        }
        running++;
        w.postMessage(t);
      };
      for (let k = 0; k < Math.min(n, tasks.length); k++) {
        const w = spawnWorker();
        workers.push(w);
        w.on('message', (msg: { type: string; n?: number; id?: number; message?: string }) => {
          if (failed) return;
          if (msg.type === 'progress') onFrames(msg.n!);
          else if (msg.type === 'done') {
            running--;
            onTaskDone(tasks.find((t) => t.id === msg.id)!);
            feed(w);
            if (queue.length === 0 && running === 0) resolve();
          } else if (msg.type === 'error') {
            failed = true;
            reject(new Error(`synthetic DISFA worker failed: ${msg.message}`));
          }
        });
        w.on('error', (err: unknown) => {
          failed = true;
          reject(err instanceof Error ? err : new Error(`synthetic DISFA worker failed: ${describe(err)}`));
        });
        w.on('exit', (code) => {
          if (code !== 0 && !failed && (queue.length > 0 || running > 0)) {
            failed = true;
            reject(new Error(`synthetic DISFA worker exited with code ${code}`));
          }
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Presence rate (intensity >= 2) of every AU over the given subjects' labels. */
function labelStats(all: SubjectLabels[]): Record<string, { present: number; rate: number }> {
  const n = all.reduce((a, s) => a + s.frames, 0);
  const out: Record<string, { present: number; rate: number }> = {};
  for (const au of DISFA_AUS) {
    let c = 0;
    for (const s of all) for (const v of s.intensity[au]) if (v >= PRESENCE_THRESHOLD) c++;
    out[au] = { present: c, rate: Number((c / n).toFixed(5)) };
  }
  return out;
}

/**
 * Writes (or completes) a synthetic DISFA set; see the file comment for the layout and the resume rules.
 * Deterministic: the same options give the same bytes, whatever the number of workers.
 */
export async function writeSyntheticDisfa(opts: SynthOptions): Promise<SynthSummary> {
  const t0 = Date.now();
  const out = path.resolve(opts.out);
  const seed = opts.seed ?? 0;
  const size = opts.size ?? 224;
  const quality = opts.quality ?? 90;
  const framesPerSubject = opts.frames ?? DISFA_FRAMES_PER_SUBJECT;
  // small jobs render inline unless workers are asked for: starting a worker costs more than 200 frames
  const nWorkers = opts.workers ?? defaultWorkers();
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`writeSyntheticDisfa: seed must be an integer in [0, 2^32), got ${seed}`);
  if (!Number.isInteger(size) || size < 32 || size > 1024) throw new Error(`writeSyntheticDisfa: size must be an integer in [32, 1024], got ${size}`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new Error(`writeSyntheticDisfa: quality must be an integer in [1, 100], got ${quality}`);
  if (!Number.isInteger(framesPerSubject) || framesPerSubject < 1 || framesPerSubject > 99999) {
    throw new Error(`writeSyntheticDisfa: frames must be an integer in [1, 99999] (5-digit frame names), got ${framesPerSubject}`);
  }
  if (!Number.isInteger(nWorkers) || nWorkers < 0 || nWorkers > 64) throw new Error(`writeSyntheticDisfa: workers must be an integer in [0, 64], got ${nWorkers}`);
  const subjects = syntheticSubjects(opts.subjects ?? 27);
  const layout = opts.layout ?? 'frames';
  if (layout !== 'frames' && layout !== 'video') throw new Error(`writeSyntheticDisfa: layout must be 'frames' or 'video', got '${String(layout)}'`);
  const [frameWidth, frameHeight] = opts.frameSize ?? DEFAULT_FRAME_SIZE;
  if (layout === 'video' && ![frameWidth, frameHeight].every((v) => Number.isInteger(v) && v >= 64 && v <= 4096 && v % 2 === 0)) {
    throw new Error(`writeSyntheticDisfa: frame size must be two even integers in [64, 4096], got ${frameWidth} x ${frameHeight}`);
  }
  const video = layout === 'video' ? { width: frameWidth, height: frameHeight } : undefined;
  const key: SetKey = {
    generator: SYNTHETIC_GENERATOR, version: SYNTHETIC_VERSION, seed, size, quality, framesPerSubject,
    ...(video ? { layout: 'video' as const, frameWidth, frameHeight } : {}),
  };

  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new Error(`${out}: exists and is not a folder`);
  // what is already in `out`?
  const provFile = path.join(out, PROVENANCE_FILE);
  const partialFile = path.join(out, PARTIAL_FILE);
  let previousSubjects: string[] = [];
  if (fs.existsSync(provFile) || fs.existsSync(partialFile)) {
    const file = fs.existsSync(partialFile) ? partialFile : provFile;
    const prev = readJson<Partial<SetKey> & { subjects?: string[] }>(file);
    if (!sameKey(prev, key)) {
      throw new Error(`${file}: ${out} holds a synthetic set written with other options (${describeKey(prev)}; asked for ${describeKey(key)}); use another --out or delete it`);
    }
    previousSubjects = Array.isArray(prev.subjects) ? prev.subjects : [];
  } else if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
    throw new Error(`${out}: not empty and not a synthetic DISFA set (no ${PROVENANCE_FILE}); use an empty or new folder`);
  }
  const allSubjects = [...new Set([...previousSubjects, ...subjects])].sort();
  fs.mkdirSync(out, { recursive: true });
  writeJsonAtomic(partialFile, { ...key, subjects: allSubjects, started: new Date().toISOString() });

  const labels = allSubjects.map((subject) => synthesizeSubjectLabels({ seed, subject, frames: framesPerSubject }));
  const skipped: string[] = [];
  const todo: SubjectLabels[] = [];
  for (const l of labels) {
    if (subjectComplete(out, l, video !== undefined)) skipped.push(l.subject);
    else todo.push(l);
  }
  // chunks of at most CHUNK frames, so two workers share even a one-subject set
  const tasks: RenderTask[] = [];
  for (const l of todo) {
    // an incomplete subject loses its label files first: they are the mark of a complete subject
    for (const au of DISFA_AUS) fs.rmSync(labelFile(out, l.subject, au), { force: true });
    const chunk = video ? l.frames : CHUNK;
    for (let start = 0; start < l.frames; start += chunk) {
      tasks.push({ id: tasks.length, out, subject: l.subject, start, end: Math.min(l.frames, start + chunk), frames: framesPerSubject, size, seed, quality, video });
    }
  }
  const total = todo.reduce((a, l) => a + l.frames, 0);
  let done = 0;
  const remaining = new Map(todo.map((l) => [l.subject, tasks.filter((t) => t.subject === l.subject).length]));
  const workers = opts.workers === undefined && total < 200 ? 0 : Math.min(nWorkers, tasks.length);
  await runTasks(tasks, workers, (k) => {
    done += k;
    opts.onProgress?.(done, total);
  }, (t) => {
    const left = remaining.get(t.subject)! - 1;
    remaining.set(t.subject, left);
    if (left === 0) {
      const l = todo.find((s) => s.subject === t.subject)!;
      for (const au of DISFA_AUS) writeFileAtomic(labelFile(out, l.subject, au), formatLabelFile(l.intensity[au]));
    }
  });

  const identities: Record<string, Identity> = {};
  for (const s of allSubjects) identities[s] = sampleIdentity(seed, s);
  const frames: Record<string, number> = {};
  for (const l of labels) frames[l.subject] = l.frames;
  writeJsonAtomic(provFile, {
    ...key,
    subjects: allSubjects,
    frames,
    aligned: !video,
    imageFormat: video ? 'mpeg4-avi' : 'jpeg',
    layout: video
      ? {
        labels: 'ActionUnit_Labels/{subject}/{subject}_au{N}.txt',
        video: 'Videos_LeftCamera/LeftVideo{subject}_comp.avi',
        landmarks: 'Landmark_Points/{subject}/tmp_frame_lm/{subject}_{frame-1:04d}_lm.mat',
      }
      : {
        labels: 'ActionUnit_Labels/{subject}/{subject}_au{N}.txt',
        frames: 'Frames_LeftCamera/{subject}/{frame:05d}.jpg',
      },
    presenceThreshold: PRESENCE_THRESHOLD,
    labelStats: labelStats(labels),
    realism: SYNTHETIC_REALISM,
    identities,
  });
  fs.rmSync(partialFile, { force: true });
  const seconds = (Date.now() - t0) / 1000;
  return {
    out,
    seed,
    size,
    subjects: allSubjects,
    framesPerSubject,
    frames: labels.reduce((a, l) => a + l.frames, 0),
    rendered: total,
    skipped,
    seconds,
    framesPerSecond: total / Math.max(seconds, 1e-9),
    provenance: provFile,
  };
}
