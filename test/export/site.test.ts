/**
 * The parts of `fer-au export` / `serve` that need no browser: float16 and uint8 weight storage (read back by tfjs's
 * own decodeWeights), the stock-layer rewrite of the AU model (same outputs as the project's own layers), the ES-module
 * build of the page (shared geometry, no Node imports), the refusal to overwrite a folder that is not a site, and the
 * static server (types, traversal, methods).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { buildAuModel, saveAuModel, loadAuModel } from '../../lib/models';
import { compileBrowserModules, encodeWeight, exportSite, float16Bits, resolveUnder, serveStatic, stockTopology, writeBrowserModel } from '../../lib/export';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-export-unit-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

test('float16Bits gives the IEEE 754 binary16 patterns, rounding half to even', () => {
  // Published bit patterns (IEEE 754-2008 binary16): 1 = 0x3c00, -2 = 0xc000, 65504 (max) = 0x7bff,
  // 2^-14 (min normal) = 0x0400, 2^-24 (min subnormal) = 0x0001, 0.1 ~ 0x2e66, 1/3 ~ 0x3555.
  const cases: [number, number][] = [[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [2 ** -14, 0x0400], [2 ** -24, 0x0001], [0.1, 0x2e66], [1 / 3, 0x3555], [0, 0], [Infinity, 0x7c00], [1e6, 0x7c00]];
  for (const [v, bits] of cases) assert.equal(float16Bits(v), bits, `float16(${v})`);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1); 1 + 3 * 2^-11 goes up to 1 + 2^-9.
  assert.equal(float16Bits(1 + 2 ** -11), 0x3c00);
  assert.equal(float16Bits(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(float16Bits(2 ** -25), 0, 'half the smallest subnormal rounds to even (zero)');
});

test('uint8 and float16 weights decode with tf.io.decodeWeights to within half a step', () => {
  const values = new Float32Array([-0.75, -0.1, 0, 0.02, 0.5, 1.25]);
  const spec = { name: 'w', shape: [2, 3], dtype: 'float32' as const };
  for (const mode of ['uint8', 'float16', 'none'] as const) {
    const enc = encodeWeight(spec, values, mode);
    const buf = enc.bytes.buffer.slice(enc.bytes.byteOffset, enc.bytes.byteOffset + enc.bytes.byteLength);
    const back = tf.io.decodeWeights(buf as ArrayBuffer, [enc.spec]).w.dataSync();
    const step = mode === 'uint8' ? 2 / 255 : 0;
    values.forEach((v, i) => assert.ok(Math.abs(back[i] - v) <= (mode === 'float16' ? Math.abs(v) * 2 ** -11 + 1e-7 : step / 2 + 1e-7), `${mode}[${i}]: ${back[i]} vs ${v}`));
    assert.equal(enc.bytes.byteLength, values.length * { uint8: 1, float16: 2, none: 4 }[mode]);
  }
});

test('the exported AU model uses only stock tfjs layers and gives the saved model\'s logits', async () => {
  const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 32, alpha: 0.25, numAus: 3, aus: ['AU01', 'AU06', 'AU12'], seed: 3 });
  // Non-trivial BatchNorm statistics, so a wrong rewrite of them would show.
  for (const w of m.model.weights) {
    if (w.name.includes('moving_variance')) w.write(tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', 7));
    if (w.name.includes('moving_mean')) w.write(tf.randomUniform(w.shape as number[], -0.5, 0.5, 'float32', 8));
  }
  const dir = path.join(tmp, 'model');
  await saveAuModel(m, dir);
  const saved = await loadAuModel(dir);
  const out = path.join(tmp, 'browser-model');
  writeBrowserModel(dir, out, 'none');
  const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
  const classes = new Set<string>(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name));
  assert.ok(![...classes].some((c) => c.startsWith('FerAu')), [...classes].join(', '));
  assert.ok(classes.has('BatchNormalization') && classes.has('Activation'));
  const shards = json.weightsManifest[0].paths.map((p: string) => fs.readFileSync(path.join(out, p)));
  const all = Buffer.concat(shards);
  const stock = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) }));
  const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 5);
  const a = (saved.model.predict(x) as tf.Tensor).dataSync();
  const b = (stock.predict(x) as tf.Tensor).dataSync();
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-4 * Math.max(1, Math.abs(v)), `logit ${i}: ${b[i]} vs ${v}`));
  assert.throws(
    () => stockTopology({ class_name: 'Functional', config: { layers: [{ class_name: 'FerAuBatchNormalization', config: { name: 'bn', activation: 'relu' }, inbound_nodes: [] }, { class_name: 'Dense', config: { name: 'd' }, inbound_nodes: [[['bn', 0, 0, {}]]] }] } }),
    /layer bn: fused relu feeds d, not its activation marker/,
  );
});

test('the page build transpiles the shared geometry and pixel modules and rejects a browser module that imports Node', () => {
  const lib = path.resolve(__dirname, '..', '..', 'lib');
  const out = path.join(tmp, 'js');
  const files = compileBrowserModules(path.join(lib, 'export', 'page', 'main.ts'), { libRoot: lib, outDir: out, bare: ['@tensorflow/tfjs'] });
  assert.ok(files.includes('data/align/geometry.js') && files.includes('export/page/fer_au.js'), files.join(', '));
  // The page crops with Node's own warp (lib/data/pixels.ts), not a copy.
  assert.ok(files.includes('data/pixels.js'), files.join(', '));
  assert.match(fs.readFileSync(path.join(out, 'data', 'pixels.js'), 'utf8'), /export function warpIntoRgb/);
  const geometry = fs.readFileSync(path.join(out, 'data', 'align', 'geometry.js'), 'utf8');
  assert.match(geometry, /export function eyeAlignTransform/);
  // The transpiled geometry computes what Node's does.
  const mod = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
  new Function('module', 'exports', require('typescript').transpileModule(geometry, { compilerOptions: { module: 1 } }).outputText)(mod, mod.exports);
  const { eyeAlignTransform } = require('../../lib/data/align/geometry');
  assert.deepEqual(mod.exports.eyeAlignTransform([100, 100], [140, 130], { size: 128 }), eyeAlignTransform([100, 100], [140, 130], { size: 128 }));
  const bad = path.join(tmp, 'badlib');
  fs.mkdirSync(bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'a.ts'), "import { b } from './b';\nconsole.log(b);\n");
  fs.writeFileSync(path.join(bad, 'b.ts'), "import * as fs from 'fs';\nexport const b = fs.existsSync('x');\n");
  assert.throws(() => compileBrowserModules(path.join(bad, 'a.ts'), { libRoot: bad, outDir: path.join(tmp, 'badjs'), bare: [] }), /b\.ts: imports 'fs', which the browser page cannot load/);
});

test('export refuses to replace a folder that is not an earlier export, and names a bad run', () => {
  const notSite = path.join(tmp, 'precious');
  fs.mkdirSync(notSite);
  fs.writeFileSync(path.join(notSite, 'thesis.tex'), 'x');
  assert.throws(() => exportSite({ run: path.join(tmp, 'model'), out: notSite }), /precious: exists and is not an exported fer-au site/);
  assert.equal(fs.readFileSync(path.join(notSite, 'thesis.tex'), 'utf8'), 'x');
  const empty = fs.mkdtempSync(path.join(tmp, 'not-a-run-'));
  assert.throws(() => exportSite({ run: empty, out: path.join(tmp, 'site') }), /neither a run directory \(model\/fer-au\.json\) nor a saved model/);
});

function get(url: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string; coep: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, coep: res.headers['cross-origin-embedder-policy'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the static server serves files under its root with their types, and nothing outside it', async () => {
  const root = path.join(tmp, 'www');
  fs.mkdirSync(path.join(root, 'vendor'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<p>hi</p>');
  fs.writeFileSync(path.join(root, 'vendor', 'x.wasm'), Buffer.from([0, 97, 115, 109]));
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  assert.equal(resolveUnder(root, '/../secret.txt'), null);
  assert.equal(resolveUnder(root, '/%2e%2e/secret.txt'), null);
  const s = await serveStatic(root);
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(s.url);
    assert.deepEqual([index.status, index.type, index.body, index.coep], [200, 'text/html; charset=utf-8', '<p>hi</p>', 'require-corp']);
    assert.equal((await get(`${s.url}vendor/x.wasm`)).type, 'application/wasm');
    assert.equal((await get(`${s.url}..%2fsecret.txt`)).status, 404);
    assert.equal((await get(`${s.url}missing.js`)).status, 404);
    assert.equal((await get(s.url, 'POST')).status, 405);
    assert.equal((await get(s.url, 'HEAD')).body, '');
  } finally {
    await s.close();
  }
});
