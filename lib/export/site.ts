/**
 * `fer-au export`: a trained run (or saved model directory) -> a self-contained static site. Layout:
 *   index.html, app.css, fer-au-site.json (SiteConfig: AUs, tuned thresholds, alignment settings)
 *   js/…               the page's ES modules, transpiled from lib/export/page and the shared lib/data geometry
 *   model/             the AU model as a stock tfjs layers model (lib/export/model.ts), optionally quantized
 *   models/face-api/   SSD-MobileNetV1, TinyFaceDetector and 68-landmark weights from @vladmandic/face-api
 *   vendor/            tf.min.js (webgl, cpu), tf-backend-wasm.min.js + .wasm, face-api's ES build, shims, licences
 * The folder is built beside `out` and renamed over it, so an interrupted export never leaves half a site; an
 * existing `out` is replaced only when it is empty or an earlier export (it holds fer-au-site.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AU_INFO } from '../data/aus';
import { DEFAULT_ALIGN } from '../data/align/geometry';
import { readJson, writeFileAtomic, writeJsonAtomic } from '../util/fs';
import { readResults } from '../results/io';
import { globalShim, runtimeAssets, tfjsExportNames } from './assets';
import { compileBrowserModules } from './compile';
import { APP_CSS, indexHtml } from './html';
import { writeBrowserModel } from './model';
import type { Quantize } from './quantize';
import { SITE_CONFIG_FILE, type SiteAlignConfig, type SiteConfig } from './site_config';

/** Live video: the detector every 4th frame, landmarks-only tracking in between (lib/export/page/track.ts). */
export const LIVE_DETECT_EVERY = 4;

/** Node predict's detector and crop (lib/train/predict.ts: FaceDetector.load() defaults, detectAllImage's 10 faces). */
export const PREDICT_ALIGN: SiteAlignConfig = Object.freeze({
  eyeDistance: DEFAULT_ALIGN.eyeDistance, eyeY: DEFAULT_ALIGN.eyeY, detector: 'auto', minConfidence: 0.5, maxResults: 10, tinyInputSize: 416, liveTinyInputSize: 224,
  liveDetectEvery: LIVE_DETECT_EVERY,
});

export interface ExportOptions {
  /** A run directory (model/ + results.json) or a saved model directory (fer-au.json). */
  run: string;
  out: string;
  quantize?: Quantize;
  /** 'tuned' (default: the run's validation thresholds when it has them, else 0.5) or a number. */
  threshold?: number | 'tuned';
}

export interface ExportReport {
  out: string;
  files: number;
  bytes: number;
  modelBytes: number;
  config: SiteConfig;
}

interface ModelMeta {
  format: string;
  backbone: string;
  inputSize: number;
  aus: string[] | null;
  numAus: number;
  preprocessing: SiteConfig['preprocessing'];
}

/** The model directory and meta of a run or model directory; the thresholds to ship and where they came from. */
export function resolveExportSource(dir: string, threshold: number | 'tuned' = 'tuned'): { modelDir: string; meta: ModelMeta; aus: string[]; thresholds: number[]; thresholdSource: string } {
  const abs = path.resolve(dir);
  const isRun = fs.existsSync(path.join(abs, 'model', 'fer-au.json'));
  const modelDir = isRun ? path.join(abs, 'model') : abs;
  if (!fs.existsSync(path.join(modelDir, 'fer-au.json'))) throw new Error(`${abs}: neither a run directory (model/fer-au.json) nor a saved model (fer-au.json)`);
  const meta = readJson<ModelMeta>(path.join(modelDir, 'fer-au.json'));
  if (meta.format !== 'fer-au-model') throw new Error(`${path.join(modelDir, 'fer-au.json')}: format is '${String(meta.format)}', expected 'fer-au-model'`);
  const aus = meta.aus ?? Array.from({ length: meta.numAus }, (_, k) => `out${k}`);
  if (typeof threshold === 'number') return { modelDir, meta, aus, thresholds: aus.map(() => threshold), thresholdSource: `fixed ${threshold}` };
  const resultsFile = path.join(abs, 'results.json');
  const tuned = isRun && fs.existsSync(resultsFile) ? readResults(resultsFile).metrics.tuned : undefined;
  if (!tuned) return { modelDir, meta, aus, thresholds: aus.map(() => 0.5), thresholdSource: 'fixed 0.5 (the run has no thresholds tuned on validation)' };
  const missing = aus.find((a) => typeof tuned.thresholds[a] !== 'number');
  if (missing) throw new Error(`${resultsFile}: metrics.tuned.thresholds.${missing} missing`);
  return { modelDir, meta, aus, thresholds: aus.map((a) => tuned.thresholds[a]), thresholdSource: 'tuned on the validation subjects' };
}

function replaceDir(tmp: string, out: string): void {
  if (fs.existsSync(out)) {
    const entries = fs.readdirSync(out);
    if (entries.length && !entries.includes(SITE_CONFIG_FILE)) throw new Error(`${out}: exists and is not an exported fer-au site (no ${SITE_CONFIG_FILE}); refusing to replace it`);
    const old = `${out}.old-${process.pid}-${Date.now()}`;
    fs.renameSync(out, old);
    fs.renameSync(tmp, out);
    fs.rmSync(old, { recursive: true, force: true });
  } else fs.renameSync(tmp, out);
}

function dirBytes(dir: string): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) {
      files++;
      bytes += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size;
    }
  }
  return { files, bytes };
}

/** Writes the site for `opts.run` to `opts.out` (see the module comment). */
export function exportSite(opts: ExportOptions): ExportReport {
  const src = resolveExportSource(opts.run, opts.threshold ?? 'tuned');
  const out = path.resolve(opts.out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  try {
    for (const a of runtimeAssets()) {
      fs.mkdirSync(path.dirname(path.join(tmp, a.to)), { recursive: true });
      fs.copyFileSync(a.from, path.join(tmp, a.to));
    }
    const names = tfjsExportNames();
    writeFileAtomic(path.join(tmp, 'vendor', 'tf-shim.js'), globalShim('globalThis.tf', names.tfjs, 'tf-shim.js'));
    writeFileAtomic(path.join(tmp, 'vendor', 'tf-wasm-shim.js'), globalShim('globalThis.tf && globalThis.tf.wasm', names.wasm, 'tf-wasm-shim.js'));
    const libRoot = path.resolve(__dirname, '..');
    compileBrowserModules(path.join(__dirname, 'page', 'main.ts'), { libRoot, outDir: path.join(tmp, 'js'), bare: ['@tensorflow/tfjs'] });
    const model = writeBrowserModel(src.modelDir, path.join(tmp, 'model'), opts.quantize ?? 'none');
    const tfjsVersion = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
    const config: SiteConfig = {
      format: 'fer-au-site', version: 1, source: path.basename(path.resolve(opts.run)), backbone: src.meta.backbone, inputSize: src.meta.inputSize,
      preprocessing: src.meta.preprocessing, aus: src.aus, thresholds: src.thresholds, thresholdSource: src.thresholdSource,
      facsNames: Object.fromEntries(src.aus.map((a) => [a, (AU_INFO as Record<string, { facsName: string }>)[a]?.facsName ?? a])),
      align: { ...PREDICT_ALIGN }, quantize: opts.quantize ?? 'none', exportedAt: new Date().toISOString(), tfjsVersion,
    };
    writeJsonAtomic(path.join(tmp, SITE_CONFIG_FILE), config);
    writeFileAtomic(path.join(tmp, 'index.html'), indexHtml('fer-au: facial action units in the browser', 'js/export/page/main.js'));
    writeFileAtomic(path.join(tmp, 'app.css'), APP_CSS);
    const size = dirBytes(tmp);
    replaceDir(tmp, out);
    return { out, files: size.files, bytes: size.bytes, modelBytes: model.bytes, config };
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
