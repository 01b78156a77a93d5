/**
 * One chunk of `data prepare`: frames [start, end) (1-based frame numbers) of one subject, decoded once (a
 * streamed ffmpeg run for a video, or the image files), aligned, and written as JPEG crops into a temporary
 * folder that is renamed into place when the chunk is complete, so a chunk is either all there or absent.
 *
 * Eyes per frame, in this order of preference:
 *  - 'landmarks': DISFA's 66-point landmarks (disfa_landmarks.ts), eye centres = means of points 36-41 / 42-47;
 *  - 'detected':  face-api's detector on key frames (every `detectEvery`-th frame of the chunk and its last);
 *  - 'tracked':   frames between two anchors (key detections or landmark frames) get the eyes interpolated
 *                 linearly in frame number (one anchor only: its eyes held); no anchor on either side: no face.
 * Then the eye similarity (align/geometry.ts, the same as for detected faces and photos) warps the frame into
 * a size x size crop. Key frames depend only on the chunk, so the crops do not depend on who prepares what.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, type Canvas, type Image, type SKRSContext2D } from '@napi-rs/canvas';
import { writeJsonAtomic } from '../util/fs';
import { removeDeadTemps, tempFor } from '../util/temp';
import { applyAffine, eyeAlignTransform, eyeCentresOf, invertAffine, type AlignSettings, type Point } from './align/geometry';
import { readDisfaLandmarks } from './disfa_landmarks';
import { decodeImage } from './image';
import { streamFrames } from './video';

export type EyeSource = 'landmarks' | 'detected' | 'tracked' | 'none';

export interface ChunkTask {
  subject: string;
  /** First frame (1-based) and one past the last. */
  start: number;
  end: number;
  /** Final folder of the chunk's crops. */
  dir: string;
  source: { kind: 'video'; file: string; fps: number; width: number; height: number } | { kind: 'images'; files: string[] };
  /** Landmark file of each frame of the chunk (index frame - start), or null. */
  landmarks: (string | null)[];
  settings: AlignSettings & { quality: number; detectEvery: number; detector: 'ssd' | 'tiny' | 'auto'; minConfidence: number };
}

/** What a finished chunk records in its chunk.json (deterministic: no times, no hosts). */
export interface ChunkRecord {
  subject: string;
  start: number;
  end: number;
  /** Eye source per frame (index frame - start). */
  sources: EyeSource[];
  /** Eye centres per frame, rounded to 0.01 px (null: no face). */
  eyes: ([Point, Point] | null)[];
}

export const CHUNK_RECORD = 'chunk.json';

/** Loads face-api's detector only when a chunk needs it (with the project's backend). */
type Detect = (canvas: Canvas) => Promise<[Point, Point] | null>;
let detectorPromise: Promise<Detect> | null = null;
function detector(s: ChunkTask['settings']): Promise<Detect> {
  detectorPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const { initBackend } = await import('../backend/init');
    await initBackend();
    const { FaceDetector } = await import('./align/detector');
    const { rgbaToRgb } = await import('./image');
    const d = await FaceDetector.load({ detector: s.detector, minConfidence: s.minConfidence });
    return async (canvas: Canvas) => {
      const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const t = tf.tensor3d(rgbaToRgb(img.data), [canvas.height, canvas.width, 3], 'int32');
      try {
        return (await d.detect(t))?.eyes ?? null;
      } finally {
        t.dispose();
      }
    };
  })();
  return detectorPromise;
}

/** Holds the current source frame in a canvas and warps it into the crop canvas. */
class Warper {
  private src: Canvas | null = null;
  private srcCtx: SKRSContext2D | null = null;
  readonly crop: Canvas;
  private readonly cropCtx: SKRSContext2D;

  constructor(readonly size: number) {
    this.crop = createCanvas(size, size);
    this.cropCtx = this.crop.getContext('2d');
    this.cropCtx.imageSmoothingEnabled = true;
    this.cropCtx.imageSmoothingQuality = 'high';
  }

  private canvasOf(w: number, h: number): SKRSContext2D {
    if (!this.src || this.src.width !== w || this.src.height !== h) {
      this.src = createCanvas(w, h);
      this.srcCtx = this.src.getContext('2d');
    }
    return this.srcCtx!;
  }

  /** The whole RGB frame into the source canvas (for the detector). */
  loadFull(rgb: Buffer, w: number, h: number): Canvas {
    this.loadRegion(rgb, w, h, 0, 0, w, h);
    return this.src!;
  }

  /** Copies the region [x0, x0 + rw) x [y0, y0 + rh) of an RGB frame into the source canvas. */
  private loadRegion(rgb: Buffer, w: number, h: number, x0: number, y0: number, rw: number, rh: number): void {
    const ctx = this.canvasOf(w, h);
    ctx.clearRect(0, 0, w, h);
    if (rw <= 0 || rh <= 0) return;
    const id = ctx.createImageData(rw, rh);
    const d = id.data;
    for (let y = 0; y < rh; y++) {
      let s = ((y0 + y) * w + x0) * 3, t = y * rw * 4;
      for (let x = 0; x < rw; x++, s += 3, t += 4) {
        d[t] = rgb[s];
        d[t + 1] = rgb[s + 1];
        d[t + 2] = rgb[s + 2];
        d[t + 3] = 255;
      }
    }
    ctx.putImageData(id, x0, y0);
  }

  /** Warps an RGB frame into the crop: only the part of the frame the crop sees is converted. */
  warpRgb(rgb: Buffer, w: number, h: number, eyes: [Point, Point], s: AlignSettings): Canvas {
    const m = eyeAlignTransform(eyes[0], eyes[1], s);
    const inv = invertAffine(m);
    const corners = ([[0, 0], [s.size, 0], [0, s.size], [s.size, s.size]] as Point[]).map((p) => applyAffine(inv, p));
    const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[0]))) - 2);
    const y0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p[1]))) - 2);
    const x1 = Math.min(w, Math.ceil(Math.max(...corners.map((p) => p[0]))) + 2);
    const y1 = Math.min(h, Math.ceil(Math.max(...corners.map((p) => p[1]))) + 2);
    this.loadRegion(rgb, w, h, x0, y0, x1 - x0, y1 - y0);
    return this.draw(this.src!, m);
  }

  /** Warps an image (image-folder sources). */
  warpImage(img: Image | Canvas, eyes: [Point, Point], s: AlignSettings): Canvas {
    return this.draw(img, eyeAlignTransform(eyes[0], eyes[1], s));
  }

  private draw(src: Image | Canvas, m: number[]): Canvas {
    const ctx = this.cropCtx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.size, this.size);
    ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
    ctx.drawImage(src, 0, 0);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    return this.crop;
  }
}

const round2 = (p: Point): Point => [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100];
const lerp = (a: [Point, Point], b: [Point, Point], t: number): [Point, Point] =>
  [0, 1].map((k) => [a[k][0] + t * (b[k][0] - a[k][0]), a[k][1] + t * (b[k][1] - a[k][1])] as Point) as [Point, Point];

/** A decoded frame kept until its eyes are known. */
interface Pending {
  frame: number;
  rgb?: Buffer;
  img?: Image;
}

/**
 * Prepares one chunk; returns its record. `onFrame` is called once per frame written. Writes into
 * `<dir>.<host>.<pid>.tmp` (lib/util/temp.ts) and renames it to `dir` at the end (if another process renamed
 * first, its copy is kept: the bytes are the same).
 */
export async function prepareChunk(task: ChunkTask, onFrame: () => void = () => {}): Promise<ChunkRecord> {
  const s = task.settings;
  const n = task.end - task.start;
  const tmp = tempFor(task.dir);
  // the chunk's lock is ours: a folder a dead process left for this (or any) chunk of the subject is garbage
  removeDeadTemps(path.dirname(task.dir));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const warper = new Warper(s.size);
  const record: ChunkRecord = { subject: task.subject, start: task.start, end: task.end, sources: new Array(n).fill('none'), eyes: new Array(n).fill(null) };
  let anchor: { frame: number; eyes: [Point, Point] | null } | null = null;
  let pending: Pending[] = [];

  const write = (p: Pending, eyes: [Point, Point] | null, source: EyeSource) => {
    const j = p.frame - task.start;
    record.sources[j] = eyes ? source : 'none';
    record.eyes[j] = eyes ? [round2(eyes[0]), round2(eyes[1])] : null;
    if (eyes) {
      const crop = p.rgb && task.source.kind === 'video'
        ? warper.warpRgb(p.rgb, task.source.width, task.source.height, eyes, s)
        : warper.warpImage(p.img!, eyes, s);
      fs.writeFileSync(path.join(tmp, `${String(p.frame).padStart(5, '0')}.jpg`), crop.encodeSync('jpeg', s.quality));
    }
    onFrame();
  };
  /** Frames waiting between `anchor` and a new anchor at `frame` with `eyes`. */
  const flush = (frame: number, eyes: [Point, Point] | null) => {
    for (const p of pending) {
      const a = anchor?.eyes ?? null;
      let e: [Point, Point] | null = null;
      if (a && eyes) e = lerp(a, eyes, (p.frame - anchor!.frame) / (frame - anchor!.frame));
      else e = a ?? eyes;
      write(p, e, 'tracked');
    }
    pending = [];
  };
  const handle = async (p: Pending) => {
    const j = p.frame - task.start;
    const lmFile = task.landmarks[j];
    if (lmFile) {
      const eyes = eyeCentresOf(readDisfaLandmarks(lmFile));
      flush(p.frame, eyes);
      write(p, eyes, 'landmarks');
      anchor = { frame: p.frame, eyes };
      return;
    }
    const isKey = j % s.detectEvery === 0 || j === n - 1;
    if (!isKey) {
      pending.push({ ...p, rgb: p.rgb ? Buffer.from(p.rgb) : undefined });
      return;
    }
    const detect = await detector(s);
    const canvas = p.rgb && task.source.kind === 'video' ? warper.loadFull(p.rgb, task.source.width, task.source.height) : imageCanvas(p.img!);
    const eyes = await detect(canvas);
    flush(p.frame, eyes);
    write(p, eyes, 'detected');
    anchor = { frame: p.frame, eyes };
  };

  if (task.source.kind === 'video') {
    const got = await streamFrames(task.source.file, (rgb, i) => handle({ frame: i + 1, rgb }), {
      start: task.start - 1, count: n, fps: task.source.fps, width: task.source.width, height: task.source.height,
    });
    if (got !== n) throw new Error(`${task.source.file}: ffmpeg gave ${got} frames from frame ${task.start}, expected ${n}`);
  } else {
    for (let f = task.start; f < task.end; f++) await handle({ frame: f, img: await decodeImage(task.source.files[f - task.start]) });
  }
  flush(task.end, null);
  writeJsonAtomic(path.join(tmp, CHUNK_RECORD), record);
  try {
    fs.renameSync(tmp, task.dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    fs.rmSync(tmp, { recursive: true, force: true }); // another process finished this chunk first
  }
  return record;
}

function imageCanvas(img: Image): Canvas {
  const c = createCanvas(img.width, img.height);
  c.getContext('2d').drawImage(img, 0, 0);
  return c;
}
