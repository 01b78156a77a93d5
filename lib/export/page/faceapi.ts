/**
 * Browser side of face detection: @vladmandic/face-api's ES build without its own tfjs (vendor/face-api.esm-nobundle.js,
 * whose tfjs imports the page's import map points at the one tf.min.js runtime), with the same networks, options and
 * order as Node's FaceDetector (lib/data/align/detector.ts): SSD-MobileNetV1 (then TinyFaceDetector when 'auto' and SSD
 * finds nothing), 68 landmarks, every face numbered left to right, eye centres from landmarks 36-41 and 42-47. Live
 * video detects every few frames and follows the faces in between (detectLive).
 */
import type * as tf from '@tensorflow/tfjs';
import { eyeCentres, type Point } from '../../data/align/geometry';
import type { SiteAlignConfig } from '../site_config';
import { clipBox, trackedBox, trackHolds, type Track } from './track';

/** The part of face-api's API the page uses. */
interface FaceApiModule {
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector', { loadFromUri(uri: string): Promise<void>; isLoaded: boolean }> & {
    faceLandmark68Net: { loadFromUri(uri: string): Promise<void>; isLoaded: boolean; detectLandmarks(face: tf.Tensor3D): Promise<{ positions: { x: number; y: number }[] }> };
  };
  Rect: new (x: number, y: number, width: number, height: number) => unknown;
  extractFaceTensors(image: tf.Tensor3D, boxes: unknown[]): Promise<tf.Tensor3D[]>;
  SsdMobilenetv1Options: new (o: { minConfidence: number; maxResults: number }) => unknown;
  TinyFaceDetectorOptions: new (o: { inputSize: number; scoreThreshold: number }) => unknown;
  detectAllFaces(input: tf.Tensor3D, options: unknown): { withFaceLandmarks(): Promise<FaceApiResult[]> };
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
  async detectAll(rgb: tf.Tensor3D, live = false): Promise<PageFace[]> {
    const { api, cfg } = this;
    const ssd = new api.SsdMobilenetv1Options({ minConfidence: cfg.minConfidence, maxResults: cfg.maxResults });
    const tiny = new api.TinyFaceDetectorOptions({ inputSize: cfg.tinyInputSize, scoreThreshold: cfg.minConfidence });
    // Live video: TinyFaceDetector at a small input finds the box (a fraction of SSD's cost); landmarks, eyes and
    // crop are computed as for photos.
    const liveTiny = new api.TinyFaceDetectorOptions({ inputSize: cfg.liveTinyInputSize, scoreThreshold: cfg.minConfidence });
    let faces = await api.detectAllFaces(rgb, live ? liveTiny : cfg.detector === 'tiny' ? tiny : ssd).withFaceLandmarks();
    if (!faces.length && cfg.detector === 'auto' && !live) faces = await api.detectAllFaces(rgb, tiny).withFaceLandmarks();
    return faces
      .map((f) => {
        const landmarks = f.landmarks.positions.map((p) => [p.x, p.y] as Point);
        const b = f.detection.box;
        return { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: f.detection.score, landmarks, eyes: eyeCentres(landmarks) };
      })
      .sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  }

  /**
   * Live video: the live detector (detectAll(rgb, true)) every `liveDetectEvery` frames, and whenever a face was
   * lost; in between, only the landmark net, inside the box each face's eyes predict (track.ts), so most frames skip
   * the detector. Landmarks, eyes and crop are then computed as on detection frames.
   */
  async detectLive(rgb: tf.Tensor3D): Promise<PageFace[]> {
    const every = Math.max(1, Math.floor(this.cfg.liveDetectEvery ?? 1));
    // A pause of half a second (a new source, a stalled video) ends the tracks.
    const now = performance.now();
    if (now - this.lastLive > 500) this.tracks = [];
    this.lastLive = now;
    if (!this.tracks.length || this.sinceDetect + 1 >= every) {
      const faces = await this.detectAll(rgb, true);
      this.tracks = faces.map((f) => ({ anchorBox: f.box, anchorEyes: f.eyes, eyes: f.eyes, score: f.score }));
      this.sinceDetect = 0;
      this.lastLiveDetected = true;
      return faces;
    }
    this.lastLiveDetected = false;
    this.sinceDetect++;
    const [H, W] = rgb.shape;
    const boxes = this.tracks.map((t) => trackedBox(t, t.eyes));
    const clipped = boxes.map((b) => clipBox(b, W, H));
    if (clipped.some((c) => c.width <= 0 || c.height <= 0)) {
      this.tracks = [];
      return this.detectLive(rgb);
    }
    const crops = await this.api.extractFaceTensors(rgb, clipped.map((c) => new this.api.Rect(c.x, c.y, c.width, c.height)));
    let found: { positions: { x: number; y: number }[] }[];
    try {
      found = await Promise.all(crops.map((c) => this.api.nets.faceLandmark68Net.detectLandmarks(c)));
    } finally {
      crops.forEach((c) => c.dispose());
    }
    const faces = found.map((lm, i): PageFace => {
      const landmarks = lm.positions.map((p) => [p.x + clipped[i].x, p.y + clipped[i].y] as Point);
      return { box: boxes[i], score: this.tracks[i].score, landmarks, eyes: eyeCentres(landmarks) };
    });
    // A face that no longer looks like the one followed: detect on the next frame.
    if (faces.some((f, i) => !trackHolds(this.tracks[i].eyes, f.eyes, boxes[i], W, H))) this.sinceDetect = every;
    faces.forEach((f, i) => (this.tracks[i].eyes = f.eyes));
    return faces.slice().sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y);
  }
}
