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

/** The faces of the installed real photos, detected and aligned once (no model scores yet). */
export interface DetectedRealFaces {
  /** Side of the aligned crops (the model's input size). */
  size: number;
  images: RealFacesMeasurement['images'];
  faces: Omit<RealFace, 'scores'>[];
  crops: FaceCrops;
}

/** Detects, aligns and references every face of the installed real photos at crop side `size` (no model needed). */
export async function detectRealFaces(
  size: number,
  opts: { images?: RealImage[]; minConfidence?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DetectedRealFaces> {
  const images = opts.images ?? installedRealImages();
  const detector = await FaceDetector.load({ expressions: true, minConfidence: opts.minConfidence ?? 0.5 });
  const out: DetectedRealFaces = { size, images: [], faces: [], crops: [] };
  for (let i = 0; i < images.length; i++) {
    const im = images[i];
    if (!im.file) {
      out.images.push({ name: im.name, source: im.source, split: im.split, installed: false, faces: 0 });
      continue;
    }
    const found = await frameFaces(await decodeImage(im.file), size, detector);
    found.forEach((f, k) => {
      const expressions = f.detection!.expressions!;
      out.faces.push({ image: path.basename(im.name), split: im.split, face: k + 1, box: f.box!, detectionScore: f.detection!.score, expressions, reference: auReference(expressions) });
      out.crops.push(f.rgb);
    });
    out.images.push({ name: im.name, source: im.source, split: im.split, installed: true, faces: found.length });
    opts.onProgress?.(i + 1, images.length);
  }
  return out;
}

/**
 * Scores already detected faces with `p` and computes the agreement with the reference (all, dev, test). Each
 * image's faces are one batch, as measureRealFaces always scored them.
 */
export function scoreRealFaces(p: Predictor, det: DetectedRealFaces): RealFacesMeasurement {
  const size = p.model.inputSize;
  if (size !== det.size) throw new Error(`scoreRealFaces: the faces were aligned at ${det.size} px, the model takes ${size} px`);
  const faces: RealFace[] = [];
  for (let s = 0; s < det.faces.length; ) {
    let n = 1;
    while (s + n < det.faces.length && det.faces[s + n].image === det.faces[s].image) n++;
    const pixels = new Float32Array(n * size * size * 3);
    for (let k = 0; k < n; k++) pixels.set(det.crops[s + k], k * size * size * 3);
    const scores = scoreBatch(p.model, pixels, n);
    for (let k = 0; k < n; k++) {
      const sc: Record<string, number> = {};
      p.aus.forEach((au, j) => (sc[au] = scores[k * p.aus.length + j]));
      faces.push({ ...det.faces[s + k], scores: sc });
    }
    s += n;
  }
  const agreement = {
    all: referenceAgreement(faces, p.aus),
    dev: referenceAgreement(faces.filter((f) => f.split === 'dev'), p.aus),
    test: referenceAgreement(faces.filter((f) => f.split === 'test'), p.aus),
  };
  return { aus: p.aus, images: det.images, faces, agreement };
}

/** Measures `p` on the installed real photos. */
export async function measureRealFaces(
  p: Predictor,
  opts: { images?: RealImage[]; minConfidence?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ measurement: RealFacesMeasurement; crops: FaceCrops }> {
  const det = await detectRealFaces(p.model.inputSize, opts);
  return { measurement: scoreRealFaces(p, det), crops: det.crops };
}
