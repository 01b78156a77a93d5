/**
 * Face + 68-landmark detection with the networks shipped in @vladmandic/face-api (SSD-MobileNetV1 and/or
 * TinyFaceDetector + faceLandmark68Net), weights read from node_modules/@vladmandic/face-api/model with
 * tf.io.decodeWeights: no network.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, type Image } from '@napi-rs/canvas';
import { rgbaToRgb } from '../image';
import { eyeCentres, type Point } from './geometry';

/** One detected face. */
export interface FaceDetection {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  landmarks: Point[];
  eyes: [Point, Point];
  /** face-api's expression probabilities (neutral, happy, sad, angry, fearful, disgusted, surprised), when asked for. */
  expressions?: Record<string, number>;
}

export interface DetectorOptions {
  /** 'ssd' (SSD-MobileNetV1), 'tiny' (TinyFaceDetector) or 'auto' (default: SSD, then Tiny when SSD finds none). */
  detector?: 'ssd' | 'tiny' | 'auto';
  /** Minimum detection score (default 0.5). */
  minConfidence?: number;
  /** TinyFaceDetector input size, a multiple of 32 (default 416). */
  tinyInputSize?: number;
  /** Folder with the face-api weight manifests (default the package's model/ folder). */
  modelDir?: string;
  /** Also run face-api's expression classifier on every face (FaceDetection.expressions). Default false. */
  expressions?: boolean;
}

/** node_modules/@vladmandic/face-api/model. */
export function faceApiModelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** Reads a tfjs weights manifest and its .bin shards from disk into named tensors. */
export function loadWeightMapFromDisk(dir: string, name: string): tf.NamedTensorMap {
  const manifestFile = path.join(dir, `${name}-weights_manifest.json`);
  let manifest: tf.io.WeightsManifestConfig;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as tf.io.WeightsManifestConfig;
  } catch (err) {
    throw new Error(`${manifestFile}: cannot read weights manifest (${(err as Error).message})`);
  }
  const specs = manifest.flatMap((g) => g.weights);
  const buf = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p)))));
  return tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type FaceApi = any;
let faceapiModule: FaceApi | undefined;
function faceapi(): FaceApi {
  // The node-wasm build requires @tensorflow/tfjs itself, so it shares our tfjs instance and backend.
  if (!faceapiModule) faceapiModule = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  return faceapiModule;
}

/** A face + 68-landmark detector over the face-api networks. */
export class FaceDetector {
  readonly options: Required<Omit<DetectorOptions, 'modelDir'>>;

  private constructor(options: Required<Omit<DetectorOptions, 'modelDir'>>) {
    this.options = options;
  }

  /** Loads the detector and landmark weights from disk (once per process). */
  static async load(opts: DetectorOptions = {}): Promise<FaceDetector> {
    const api = faceapi();
    const dir = opts.modelDir ?? faceApiModelDir();
    const detector = opts.detector ?? 'auto';
    if (detector !== 'tiny' && !api.nets.ssdMobilenetv1.isLoaded) api.nets.ssdMobilenetv1.loadFromWeightMap(loadWeightMapFromDisk(dir, 'ssd_mobilenetv1_model'));
    if (detector !== 'ssd' && !api.nets.tinyFaceDetector.isLoaded) api.nets.tinyFaceDetector.loadFromWeightMap(loadWeightMapFromDisk(dir, 'tiny_face_detector_model'));
    if (!api.nets.faceLandmark68Net.isLoaded) api.nets.faceLandmark68Net.loadFromWeightMap(loadWeightMapFromDisk(dir, 'face_landmark_68_model'));
    const expressions = opts.expressions ?? false;
    if (expressions && !api.nets.faceExpressionNet.isLoaded) api.nets.faceExpressionNet.loadFromWeightMap(loadWeightMapFromDisk(dir, 'face_expression_model'));
    return new FaceDetector({ detector, minConfidence: opts.minConfidence ?? 0.5, tinyInputSize: opts.tinyInputSize ?? 416, expressions });
  }

  /**
   * Every face in an RGB image [h, w, 3] (0..255) with its 68 landmarks, most confident first (SSD keeps at most
   * `maxFaces`; 'auto' asks TinyFaceDetector only when SSD finds none).
   */
  async detectAll(rgb: tf.Tensor3D, maxFaces = 10): Promise<FaceDetection[]> {
    const api = faceapi();
    const o = this.options;
    const ssd = new api.SsdMobilenetv1Options({ minConfidence: o.minConfidence, maxResults: maxFaces });
    const tiny = new api.TinyFaceDetectorOptions({ inputSize: o.tinyInputSize, scoreThreshold: o.minConfidence });
    const run = (opt: unknown) => {
      const task = api.detectAllFaces(rgb, opt).withFaceLandmarks();
      return o.expressions ? task.withFaceExpressions() : task;
    };
    let faces: any[] = await run(o.detector === 'tiny' ? tiny : ssd);
    if (!faces.length && o.detector === 'auto') faces = await run(tiny);
    return faces
      .map((f) => {
        const landmarks: Point[] = f.landmarks.positions.map((p: { x: number; y: number }) => [p.x, p.y] as Point);
        const b = f.detection.box;
        const face: FaceDetection = { box: { x: b.x, y: b.y, width: b.width, height: b.height }, score: f.detection.score as number, landmarks, eyes: eyeCentres(landmarks) };
        if (o.expressions) face.expressions = Object.fromEntries(Object.entries(f.expressions as Record<string, number>).map(([k, v]) => [k, Number(v)]));
        return face;
      })
      .sort((a, b) => b.score - a.score);
  }

  /** The most confident face in an RGB image [h, w, 3] (0..255), or null when there is none. */
  async detect(rgb: tf.Tensor3D): Promise<FaceDetection | null> {
    return (await this.detectAll(rgb))[0] ?? null;
  }

  /** Every face in a decoded image, most confident first (see `detectAll`). */
  async detectAllImage(img: Image, maxFaces = 10): Promise<FaceDetection[]> {
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const rgb = rgbaToRgb(ctx.getImageData(0, 0, img.width, img.height).data);
    const t = tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
    try {
      return await this.detectAll(t, maxFaces);
    } finally {
      t.dispose();
    }
  }

  /** The most confident face in a decoded image, or null. */
  async detectImage(img: Image): Promise<FaceDetection | null> {
    return (await this.detectAllImage(img))[0] ?? null;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
