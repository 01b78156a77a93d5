/**
 * The sim-to-real measurement: run a trained model on every face of the installed real photos (aligned exactly as
 * `fer-au predict` aligns them), run face-api's expression classifier on the same faces, map its probabilities
 * to AUs (reference.ts) and report the per-AU AUC of the model's scores against the confident reference, for all
 * faces and for the dev and test splits (images.ts).
 */
import * as path from 'path';
import { FaceDetector } from '../data/align';
import { decodeImage } from '../data/image';
import { frameFaces, scoreBatch, type FaceBox, type Predictor } from '../train/predict';
import { auReference, referenceAgreement, type AuAgreement } from './reference';
import { installedRealImages, type RealImage } from './images';

export const REAL_FACES_SCHEMA = 'fer-au real-faces';
export const REAL_FACES_VERSION = 1;

export interface RealFace {
  image: string;
  split: 'dev' | 'test';
  /** 1-based, left to right, as `fer-au predict` numbers faces. */
  face: number;
  box: FaceBox;
  detectionScore: number;
  expressions: Record<string, number>;
  reference: Record<string, number>;
  scores: Record<string, number>;
}

export interface RealFacesMeasurement {
  aus: string[];
  images: (Omit<RealImage, 'file'> & { installed: boolean; faces: number })[];
  faces: RealFace[];
  agreement: { all: AuAgreement[]; dev: AuAgreement[]; test: AuAgreement[] };
}

/** Aligned crops of the measured faces (for contact sheets), in `faces` order, at the model's input size. */
export type FaceCrops = Uint8Array[];

/** Measures `p` on the installed real photos. */
export async function measureRealFaces(
  p: Predictor,
  opts: { images?: RealImage[]; minConfidence?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ measurement: RealFacesMeasurement; crops: FaceCrops }> {
  const images = opts.images ?? installedRealImages();
  const detector = await FaceDetector.load({ expressions: true, minConfidence: opts.minConfidence ?? 0.5 });
  const size = p.model.inputSize;
  const faces: RealFace[] = [];
  const crops: FaceCrops = [];
  const imageRows: RealFacesMeasurement['images'] = [];
  for (let i = 0; i < images.length; i++) {
    const im = images[i];
    if (!im.file) {
      imageRows.push({ name: im.name, source: im.source, split: im.split, installed: false, faces: 0 });
      continue;
    }
    const found = await frameFaces(await decodeImage(im.file), size, detector);
    const pixels = new Float32Array(found.length * size * size * 3);
    found.forEach((f, k) => pixels.set(f.rgb, k * size * size * 3));
    const scores = found.length ? scoreBatch(p.model, pixels, found.length) : new Float32Array(0);
    found.forEach((f, k) => {
      const expressions = f.detection!.expressions!;
      const s: Record<string, number> = {};
      p.aus.forEach((au, j) => (s[au] = scores[k * p.aus.length + j]));
      faces.push({ image: path.basename(im.name), split: im.split, face: k + 1, box: f.box!, detectionScore: f.detection!.score, expressions, reference: auReference(expressions), scores: s });
      crops.push(f.rgb);
    });
    imageRows.push({ name: im.name, source: im.source, split: im.split, installed: true, faces: found.length });
    opts.onProgress?.(i + 1, images.length);
  }
  const agreement = {
    all: referenceAgreement(faces, p.aus),
    dev: referenceAgreement(faces.filter((f) => f.split === 'dev'), p.aus),
    test: referenceAgreement(faces.filter((f) => f.split === 'test'), p.aus),
  };
  return { measurement: { aus: p.aus, images: imageRows, faces, agreement }, crops };
}
