/**
 * `window.ferAu`: the exported page's scoring contract (lib/export/site_config.ts FerAuApi). predict(source) finds
 * every face, aligns it and scores it as `fer-au predict` does: same detector and landmarks, same eye similarity and
 * crop, same preprocessing, sigmoid of the AU model's logits.
 */
import * as tf from '@tensorflow/tfjs';
import type { FacePrediction, FerAuApi, SiteConfig } from '../site_config';
import { Cropper, FrameGrabber } from './crop';
import { initPageBackend, wasmThreads } from './backend';
import { PageFaceDetector, type PageFace } from './faceapi';
import { fuseModel, type FusedModel } from './fused_model';

/** Keras preprocessing modes (lib/models/preprocessing.ts), on RGB 0..255 NHWC. */
function preprocess(x: tf.Tensor4D, mode: SiteConfig['preprocessing']): tf.Tensor4D {
  switch (mode) {
    case 'tf':
      return tf.sub(tf.div(x, 127.5), 1);
    case 'torch':
      return tf.div(tf.sub(x, tf.tensor1d([0.485, 0.456, 0.406].map((m) => m * 255))), tf.tensor1d([0.229, 0.224, 0.225].map((s) => s * 255)));
    case 'unit':
      return tf.div(x, 255);
    default:
      throw new Error(`unknown preprocessing '${String(mode)}'`);
  }
}

export interface FerAuOptions {
  config: SiteConfig;
  /** Base URL of the site (where model/, models/ and vendor/ are). */
  base: string;
  /** Force a backend (the page's ?backend= parameter). */
  backend: string | null;
  /** Run the AU model as tfjs-layers runs it, without the fused plan (the page's ?fused=0, for comparisons). */
  unfused?: boolean;
  /** Threads for the wasm backend (the page's ?threads=; default: every logical core when cross-origin isolated). */
  threads?: number;
}

/** Loads the runtime, detectors and model; the returned object is what the page puts on window.ferAu. */
export function createFerAu(opts: FerAuOptions): FerAuApi {
  const { config, base } = opts;
  let model: FusedModel | undefined;
  let detector: PageFaceDetector | undefined;
  let backendName = 'none';
  const grabber = new FrameGrabber();
  const cropper = new Cropper(config.align, config.inputSize);

  const scoreCrops = (crops: Uint8Array[]): Float32Array[] => {
    const n = crops.length, s = config.inputSize, K = config.aus.length;
    const pixels = new Float32Array(n * s * s * 3);
    crops.forEach((c, i) => pixels.set(c, i * s * s * 3));
    const out = tf.tidy(() => tf.sigmoid(model!.predict(preprocess(tf.tensor4d(pixels, [n, s, s, 3]), config.preprocessing))).dataSync() as Float32Array);
    return crops.map((_, i) => out.slice(i * K, (i + 1) * K));
  };

  // Milliseconds of each step of the last predict call, for the page's profile and window.ferAu.frameTimings():
  // grab (the frame's pixels; ~0 live, where detectLive samples the canvas itself), detect (detector + 68 landmarks)
  // or track (landmarks only, between live detections; the other one 0), align (the eye-aligned crops), model.
  const frameMs: Record<string, number> = {};
  const predictFrame = async (source: Parameters<FerAuApi['predict']>[0], live: boolean): Promise<FacePrediction[]> => {
    await ready;
    let t = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      frameMs[what] = now - t;
      t = now;
    };
    // Photos: the frame's RGB bytes exactly as Node reads them, as an int32 tensor. Live frames: a canvas holding
    // the frame (the page's own), which detectLive samples itself (a small copy for the detector, the face boxes for
    // the landmark net) instead of reading all its pixels into tfjs.
    let canvas: HTMLCanvasElement;
    let faces: PageFace[];
    if (live) {
      canvas = source instanceof HTMLCanvasElement ? source : grabber.grab(source).canvas;
      lap('grab');
      faces = await detector!.detectLive(canvas);
    } else {
      const frame = grabber.grab(source);
      canvas = frame.canvas;
      const img = tf.tensor3d(frame.rgb, [frame.height, frame.width, 3], 'int32');
      lap('grab');
      try {
        faces = await detector!.detectAll(img);
      } finally {
        img.dispose();
      }
    }
    // detect: the detector and landmarks ran; track: landmarks only, in the boxes the previous eyes predict
    const step = live && !detector!.lastLiveDetected ? 'track' : 'detect';
    frameMs[step === 'track' ? 'detect' : 'track'] = 0;
    lap(step);
    if (!faces.length) {
      Object.assign(frameMs, { align: 0, model: 0 });
      return [];
    }
    const crops: Uint8Array[] = [];
    for (const f of faces) crops.push(cropper.crop(canvas, f.eyes));
    lap('align');
    const scores = scoreCrops(crops);
    lap('model');
    return faces.map((f, i): FacePrediction => {
      const s: Record<string, number> = {}, present: Record<string, boolean> = {};
      config.aus.forEach((au, k) => {
        s[au] = scores[i][k];
        present[au] = scores[i][k] >= config.thresholds[k];
      });
      return { box: f.box, detectionScore: f.score, scores: s, present, eyes: f.eyes };
    });
  };

  const predict: FerAuApi['predict'] = (source) => predictFrame(source, false);
  const predictLive: FerAuApi['predictLive'] = (source) => predictFrame(source, true);
  const timings: Record<string, number> = {};
  const ready = (async () => {
    let t = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      timings[what] = Math.round(now - t);
      t = now;
    };
    backendName = await initPageBackend(opts.backend, `${base}vendor/`, opts.threads);
    lap('backendMs');
    let layers: tf.LayersModel;
    [layers, detector] = await Promise.all([
      tf.loadLayersModel(`${base}model/model.json`),
      PageFaceDetector.load(`${base}vendor/face-api.esm-nobundle.js`, `${base}models/face-api`, config.align),
    ]);
    // Conv + BatchNorm + ReLU6 as one fused op each (fused_model.ts): the same scores, in a fraction of the ops.
    model = opts.unfused ? { predict: (x) => layers.predict(x) as tf.Tensor, fused: 0, plain: layers.layers.length, dispose: () => undefined } : fuseModel(layers);
    timings.fusedConvs = model.fused;
    lap('loadMs');
    // Warm-up: compiles the webgl shaders / wasm kernels once, so the first real frame is not slow.
    const s = config.inputSize;
    tf.tidy(() => model!.predict(tf.zeros([1, s, s, 3])).dataSync());
    lap('warmModelMs');
    const warm = tf.zeros([160, 160, 3], 'int32') as tf.Tensor3D;
    await detector.detectAll(warm);
    warm.dispose();
    const blank = document.createElement('canvas');
    blank.width = blank.height = 160;
    await detector.detectLive(blank); // no face: leaves nothing tracked
    lap('warmDetectorMs');
  })();

  return { ready, predict, predictLive, backend: () => backendName, wasmThreads, config: () => config, timings: () => ({ ...timings }), frameTimings: () => ({ ...frameMs }) };
}
