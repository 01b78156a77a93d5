/**
 * Browser side of face detection: @vladmandic/face-api's ES build without its own tfjs (vendor/face-api.esm-nobundle.js,
 * whose tfjs imports the page's import map points at the one tf.min.js runtime), with the same networks, options and
 * order as Node's FaceDetector (lib/data/align/detector.ts): SSD-MobileNetV1 (then TinyFaceDetector when 'auto' and SSD
 * finds nothing), 68 landmarks, every face numbered left to right, eye centres from landmarks 36-41 and 42-47. Live
 * video detects every few frames and follows the faces in between (detectLive).
 */
import * as tf from '@tensorflow/tfjs';
import { eyeCentres, type Point } from '../../data/align/geometry';
import type { SiteAlignConfig } from '../site_config';
import { clipBox, trackedBox, trackHolds, type Box, type Track } from './track';

/** Side of face-api's FaceLandmark68Net input (it pads a face crop to a square and resizes it to this). */
export const LANDMARK_INPUT = 112;

/** The part of face-api's API the page uses. */
interface FaceApiModule {
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector', { loadFromUri(uri: string): Promise<void>; isLoaded: boolean }> & {
    faceLandmark68Net: { loadFromUri(uri: string): Promise<void>; isLoaded: boolean; detectLandmarks(face: tf.Tensor3D): Promise<{ positions: { x: number; y: number }[] }> };
  };
  Rect: new (x: number, y: number, width: number, height: number) => unknown;
  extractFaceTensors(image: tf.Tensor3D, boxes: unknown[]): Promise<tf.Tensor3D[]>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  detectAllFaces(input: tf.Tensor3D, options: unknown): PromiseLike<FaceApiResult['detection'][]> & { withFaceLandmarks(): Promise<FaceApiResult[]> };
}

interface FaceApiResult {
  detection: { score: number; box: { x: number; y: number; width: number; height: number } };
  landmarks: { positions: { x: number; y: number }[] };
}

/** A face as Node's FaceDetector describes it. */
export interface PageFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Point[];
  eyes: [Point, Point];
}

export class PageFaceDetector {
  /** The faces followed in live video, and the frames since the detector last ran. */
  private tracks: Track[] = [];
  private sinceDetect = 0;
  private lastLive = -Infinity;
  private readonly canvases: Partial<Record<'detector' | 'landmarks', CanvasRenderingContext2D>> = {};
  /** Whether the last detectLive call ran the detector (false: it followed the faces with landmarks only). */
  lastLiveDetected = false;

  private constructor(private readonly api: FaceApiModule, private readonly cfg: SiteAlignConfig) {}

  /** Imports face-api and loads the detector and landmark weights from `modelUri` (same origin). */
  static async load(scriptUrl: string, modelUri: string, cfg: SiteAlignConfig): Promise<PageFaceDetector> {
    const api = (await import(scriptUrl)) as FaceApiModule;
    const loads: Promise<void>[] = [api.nets.faceLandmark68Net.loadFromUri(modelUri)];
    if (cfg.detector !== 'tiny') loads.push(api.nets.ssdMobilenetv1.loadFromUri(modelUri));
    loads.push(api.nets.tinyFaceDetector.loadFromUri(modelUri)); // also the live-video detector
    await Promise.all(loads);
    return new PageFaceDetector(api, cfg);
  }

  /** Every face in an RGB int32 image [h, w, 3], numbered left to right (then top to bottom) as Node's predict numbers them. */
  async detectAll(rgb: tf.Tensor3D): Promise<PageFace[]> {
    const { api, cfg } = this;
    const ssd = new api.SsdMobilenetv1Options({ minConfidence: cfg.minConfidence, maxResults: cfg.maxResults });
    const tiny = new api.TinyFaceDetectorOptions({ inputSize: cfg.tinyInputSize, scoreThreshold: cfg.minConfidence });
    let faces = await api.detectAllFaces(rgb, cfg.detector === 'tiny' ? tiny : ssd).withFaceLandmarks();
    if (!faces.length && cfg.detector === 'auto') faces = await api.detectAllFaces(rgb, tiny).withFaceLandmarks();
    return faces
      .map((f) => {
        const landmarks = f.landmarks.positions.map((p) => [p.x, p.y] as Point);
        const b = f.detection.box;
        return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: f.detection.score, landmarks, eyes: eyeCentres(landmarks) };
      })
      .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  }

  /** A reused 2-D canvas of the given size (willReadFrequently: tfjs reads its pixels back on the CPU). */
  private scratch(which: 'detector' | 'landmarks', width: number, height: number): CanvasRenderingContext2D {
    let ctx = this.canvases[which];
    if (!ctx) {
      ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
      this.canvases[which] = ctx;
    }
    if (ctx.canvas.width !== width || ctx.canvas.height !== height) {
      ctx.canvas.width = width;
      ctx.canvas.height = height;
    }
    return ctx;
  }

  /**
   * Live detections in `frame`: TinyFaceDetector at align.liveTinyInputSize on a copy of the frame drawn at that size
   * (the detector resizes its input to it anyway), so tfjs reads ~1/8 of the frame's pixels; boxes in frame pixels.
   */
  private async liveDetections(frame: HTMLCanvasElement): Promise<{ box: Box; score: number }[]> {
    const { api, cfg } = this;
    const s = Math.min(1, cfg.liveTinyInputSize / Math.max(frame.width, frame.height));
    const ctx = this.scratch('detector', Math.round(frame.width * s), Math.round(frame.height * s));
    ctx.drawImage(frame, 0, 0, ctx.canvas.width, ctx.canvas.height);
    const img = tf.browser.fromPixels(ctx.canvas);
    try {
      const found = await api.detectAllFaces(img, new api.TinyFaceDetectorOptions({ inputSize: cfg.liveTinyInputSize, scoreThreshold: cfg.minConfidence }));
      const kx = frame.width / ctx.canvas.width, ky = frame.height / ctx.canvas.height;
      return found.map((d) => ({ box: { x: d.box.x * kx, y: d.box.y * ky, width: d.box.width * kx, height: d.box.height * ky }, score: d.score }));
    } finally {
      img.dispose();
    }
  }

  /**
   * The 68 landmarks (frame pixels) of the face in each box (integer, inside the frame): the box is drawn into a
   * canvas of LANDMARK_INPUT px on its long side, the size the net resizes it to, so only the box's pixels are read.
   */
  private async landmarksIn(frame: HTMLCanvasElement, boxes: Box[]): Promise<Point[][]> {
    const out: Point[][] = [];
    for (const b of boxes) {
      const s = LANDMARK_INPUT / Math.max(b.width, b.height);
      const ctx = this.scratch('landmarks', Math.max(1, Math.round(b.width * s)), Math.max(1, Math.round(b.height * s)));
      ctx.drawImage(frame, b.x, b.y, b.width, b.height, 0, 0, ctx.canvas.width, ctx.canvas.height);
      const face = tf.browser.fromPixels(ctx.canvas);
      try {
        const lm = await this.api.nets.faceLandmark68Net.detectLandmarks(face);
        const kx = b.width / ctx.canvas.width, ky = b.height / ctx.canvas.height;
        out.push(lm.positions.map((p) => [b.x + p.x * kx, b.y + p.y * ky] as Point));
      } finally {
        face.dispose();
      }
    }
    return out;
  }

  /**
   * Live video (a canvas holding the frame): the live detector (liveDetections) every `liveDetectEvery` frames, and
   * whenever a face was lost; in between, only the landmark net, inside the box each face's eyes predict (track.ts),
   * so most frames skip the detector. Neither reads the whole frame into tfjs: the detector sees a small copy, the
   * landmark net each box. Eyes and crop are then computed as for photos.
   */
  async detectLive(frame: HTMLCanvasElement): Promise<PageFace[]> {
    const every = Math.max(1, Math.floor(this.cfg.liveDetectEvery ?? 1));
    const W = frame.width, H = frame.height;
    // A pause of half a second (a new source, a stalled video) ends the tracks.
    const now = performance.now();
    if (now - this.lastLive > 500) this.tracks = [];
    this.lastLive = now;
    const detect = !this.tracks.length || this.sinceDetect + 1 >= every;
    const found = detect ? await this.liveDetections(frame) : this.tracks.map((t) => ({ box: trackedBox(t, t.eyes), score: t.score }));
    const clipped = found.map((f) => clipBox(f.box, W, H));
    if (!detect && clipped.some((c) => c.width <= 0 || c.height <= 0)) {
      this.tracks = [];
      return this.detectLive(frame);
    }
    const keep = clipped.map((c) => c.width > 0 && c.height > 0);
    const lms = await this.landmarksIn(frame, clipped.filter((_, i) => keep[i]));
    const faces = found.filter((_, i) => keep[i]).map((f, i): PageFace => ({ box: f.box, score: f.score, landmarks: lms[i], eyes: eyeCentres(lms[i]) }));
    this.lastLiveDetected = detect;
    if (detect) {
      this.tracks = faces.map((f) => ({ anchorBox: f.box, anchorEyes: f.eyes, eyes: f.eyes, score: f.score }));
      this.sinceDetect = 0;
    } else {
      this.sinceDetect++;
      // A face that no longer looks like the one followed: detect on the next frame.
      if (faces.some((f, i) => !trackHolds(this.tracks[i].eyes, f.eyes, f.box, W, H))) this.sinceDetect = every;
      faces.forEach((f, i) => (this.tracks[i].eyes = f.eyes));
    }
    return faces.slice().sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  }
}
