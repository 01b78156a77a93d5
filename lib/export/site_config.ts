/**
 * The contract between `fer-au export` (Node) and the exported page (browser): the JSON file the page reads at
 * start (`fer-au-site.json`) and the shapes `window.ferAu.predict` resolves to. Types only, so the browser
 * build of the page can import it.
 */

/** Name of the site description written beside index.html. */
export const SITE_CONFIG_FILE = 'fer-au-site.json';

/**
 * How faces are found and cropped: the settings of Node's predict (lib/train/predict.ts frameFaces: FaceDetector
 * defaults, every face sorted left to right, `alignedFaceRgb` straight to the model's input size), copied at export.
 */
export interface SiteAlignConfig {
  /** Inter-ocular distance and eye-line height as fractions of the crop side (lib/data/align DEFAULT_ALIGN). */
  eyeDistance: number;
  eyeY: number;
  /** 'ssd', 'tiny' or 'auto' (SSD, then TinyFaceDetector when SSD finds none), as lib/data/align. */
  detector: 'ssd' | 'tiny' | 'auto';
  minConfidence: number;
  /** SSD's maxResults. */
  maxResults: number;
  tinyInputSize: number;
  /** Live video (webcam, video file) finds faces with TinyFaceDetector at this input size instead; landmarks and crop as above. */
  liveTinyInputSize: number;
  /**
   * Live video runs the detector on every liveDetectEvery-th frame (and when a face is lost); the frames between
   * find the landmarks inside the box the previous eyes predict (lib/export/page/track.ts). 1 = detect every frame.
   * Absent in sites exported before it existed: 1.
   */
  liveDetectEvery?: number;
}

export interface SiteConfig {
  format: 'fer-au-site';
  version: 1;
  /** The run (or model directory) the site was exported from, as a name (no machine paths). */
  source: string;
  backbone: string;
  inputSize: number;
  /** Keras preprocessing mode of the backbone's weights: 'tf' (x/127.5-1), 'torch' (ImageNet mean/std), 'unit' (x/255). */
  preprocessing: 'tf' | 'torch' | 'unit';
  aus: string[];
  /** Per-AU presence thresholds, in `aus` order. */
  thresholds: number[];
  thresholdSource: string;
  /** FACS names of the AUs, for the legend. */
  facsNames: Record<string, string>;
  align: SiteAlignConfig;
  /** Weight storage of the exported AU model. */
  quantize: 'none' | 'float16' | 'uint8';
  exportedAt: string;
  tfjsVersion: string;
}

/** One face found by `window.ferAu.predict`: its box in source pixels and the sigmoid score of each AU. */
export interface FacePrediction {
  box: { x: number; y: number; width: number; height: number };
  detectionScore: number;
  scores: Record<string, number>;
  /** score >= the run's threshold, per AU. */
  present: Record<string, boolean>;
  /** The eye centres that alignment used (source pixels, image-left first). */
  eyes: [[number, number], [number, number]];
}

/** What the page sets on `window.ferAu`. */
export interface FerAuApi {
  /** Resolves once the runtime, the detectors and the AU model are loaded and warmed up. */
  ready: Promise<void>;
  predict(source: HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageBitmap): Promise<FacePrediction[]>;
  /** predict's faster variant for live video: TinyFaceDetector at align.liveTinyInputSize finds the boxes. */
  predictLive(source: HTMLImageElement | HTMLCanvasElement | HTMLVideoElement | ImageBitmap): Promise<FacePrediction[]>;
  /** The tfjs backend in use ('webgl', 'wasm' or 'cpu'). */
  backend(): string;
  /** Threads the wasm backend computes with (its XNNPACK pool; 0 on another backend or before ready). */
  wasmThreads(): number;
  config(): SiteConfig;
  /** Milliseconds of the start-up steps (backendMs, loadMs, warmModelMs, warmDetectorMs), and fusedConvs: the AU model's convolutions that run fused with their BatchNorm and activation. */
  timings(): Record<string, number>;
  /** Milliseconds of the steps of the last predict/predictLive call: grab, detect (detector + landmarks) or track (landmarks only; the other is 0), align, model. */
  frameTimings(): Record<string, number>;
}
