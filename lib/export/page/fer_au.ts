/**
 * `window.ferAu`: the exported page's scoring contract (lib/export/site_config.ts FerAuApi). predict(source) finds
 * every face, aligns it and scores it as `fer-au predict` does: same detector and landmarks, same eye similarity and
 * crop, same preprocessing, sigmoid of the AU model's logits.
 */
import * as tf from '@tensorflow/tfjs';
import type { FacePrediction, FerAuApi, SiteConfig } from '../site_config';
import { Cropper, FrameGrabber } from './crop';
import { PageFaceDetector } from './faceapi';

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

/**
 * The WebGL renderer when it is a software one (SwiftShader, llvmpipe, ...: a machine without a GPU, such as headless
 * Chromium here), else null. tfjs's webgl backend on a software renderer is far slower than wasm with SIMD.
 */
export function softwareWebgl(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return 'no WebGL';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) ? renderer : null;
}

/**
 * Picks the backend: `wanted` if given, else webgl, then wasm, then cpu, except that wasm comes first when the WebGL
 * renderer is a software one (softwareWebgl). Returns the one in use.
 */
export async function initPageBackend(wanted: string | null, wasmDir: string): Promise<string> {
  const wasm = (tf as unknown as { wasm?: { setWasmPaths(p: string): void } }).wasm ?? (globalThis as unknown as { tf: { wasm?: { setWasmPaths(p: string): void } } }).tf.wasm;
  wasm?.setWasmPaths(wasmDir);
  // Shapes as uniforms: one compiled webgl program per op instead of one per op and shape, which cuts the first
  // load from minutes to seconds where WebGL runs in software (SwiftShader) and costs nothing on a GPU.
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  const order = wanted ? [wanted] : softwareWebgl() ? ['wasm', 'webgl', 'cpu'] : ['webgl', 'wasm', 'cpu'];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      // try the next one
    }
  }
  throw new Error(`no tfjs backend of ${order.join(', ')} initialised`);
}

export interface FerAuOptions {
  config: SiteConfig;
  /** Base URL of the site (where model/, models/ and vendor/ are). */
  base: string;
  /** Force a backend (the page's ?backend= parameter). */
  backend: string | null;
}

/** Loads the runtime, detectors and model; the returned object is what the page puts on window.ferAu. */
export function createFerAu(opts: FerAuOptions): FerAuApi {
  const { config, base } = opts;
  let model: tf.LayersModel | undefined;
  let detector: PageFaceDetector | undefined;
  let backendName = 'none';
  const grabber = new FrameGrabber();
  const cropper = new Cropper(config.align, config.inputSize);

  const scoreCrops = (crops: Uint8Array[]): Float32Array[] => {
    const n = crops.length, s = config.inputSize, K = config.aus.length;
    const pixels = new Float32Array(n * s * s * 3);
    crops.forEach((c, i) => pixels.set(c, i * s * s * 3));
    const out = tf.tidy(() => tf.sigmoid(model!.predict(preprocess(tf.tensor4d(pixels, [n, s, s, 3]), config.preprocessing)) as tf.Tensor).dataSync() as Float32Array);
    return crops.map((_, i) => out.slice(i * K, (i + 1) * K));
  };

  // Milliseconds of each step of the last predict call (grab: pixels of the frame; detect: detector + 68 landmarks,
  // or track: landmarks only, between live detections, the other one 0; align: the eye-aligned crops; model: the AU model), for the page's profile and window.ferAu.frameTimings().
  const frameMs: Record<string, number> = {};
  const predictFrame = async (source: Parameters<FerAuApi['predict']>[0], live: boolean): Promise<FacePrediction[]> => {
    await ready;
    let t = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      frameMs[what] = now - t;
      t = now;
    };
    // Photos: the frame's RGB bytes exactly as Node reads them. Live frames (the page hands over a canvas it has
    // already drawn): tf.browser.fromPixels reads the canvas itself (a texture upload on webgl), with no second copy.
    let frame: { canvas: HTMLCanvasElement | ImageBitmap; rgb?: Uint8Array; width: number; height: number };
    let img: tf.Tensor3D;
    if (live && source instanceof HTMLCanvasElement) {
      frame = { canvas: source, width: source.width, height: source.height };
      img = tf.browser.fromPixels(source);
    } else {
      frame = grabber.grab(source);
      img = tf.tensor3d(frame.rgb!, [frame.height, frame.width, 3], 'int32');
    }
    lap('grab');
    let faces;
    try {
      faces = live ? await detector!.detectLive(img) : await detector!.detectAll(img);
    } finally {
      img.dispose();
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
    for (const f of faces) crops.push(cropper.crop(frame.canvas, f.eyes));
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
    backendName = await initPageBackend(opts.backend, `${base}vendor/`);
    lap('backendMs');
    [model, detector] = await Promise.all([
      tf.loadLayersModel(`${base}model/model.json`),
      PageFaceDetector.load(`${base}vendor/face-api.esm-nobundle.js`, `${base}models/face-api`, config.align),
    ]);
    lap('loadMs');
    // Warm-up: compiles the webgl shaders / wasm kernels once, so the first real frame is not slow.
    const s = config.inputSize;
    tf.tidy(() => (model!.predict(tf.zeros([1, s, s, 3])) as tf.Tensor).dataSync());
    lap('warmModelMs');
    const warm = tf.zeros([160, 160, 3], 'int32') as tf.Tensor3D;
    await detector.detectAll(warm);
    await detector.detectAll(warm, true);
    await detector.detectLive(warm); // no face: leaves nothing tracked
    warm.dispose();
    lap('warmDetectorMs');
  })();

  return { ready, predict, predictLive, backend: () => backendName, config: () => config, timings: () => ({ ...timings }), frameTimings: () => ({ ...frameMs }) };
}
