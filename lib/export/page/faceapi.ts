/**
 * Browser side of face detection: @vladmandic/face-api's ES build without its own tfjs (vendor/face-api.esm-nobundle.js,
 * whose tfjs imports the page's import map points at the one tf.min.js runtime), with the same networks, options and
 * order as Node's FaceDetector (lib/data/align/detector.ts): SSD-MobileNetV1 (then TinyFaceDetector when 'auto' and SSD
 * finds nothing), 68 landmarks, every face numbered left to right, eye centres from landmarks 36-41 and 42-47.
 */
import type * as tf from '@tensorflow/tfjs';
import { eyeCentres, type Point } from '../../data/align/geometry';
import type { SiteAlignConfig } from '../site_config';

/** The part of face-api's API the page uses. */
interface FaceApiModule {
  nets: Record<'ssdMobilenetv1' | 'tinyFaceDetector' | 'faceLandmark68Net', { loadFromUri(uri: string): Promise<void>; isLoaded: boolean }>;
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
}
