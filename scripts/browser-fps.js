#!/usr/bin/env node
// Frame rate of the exported page's live path: exports RUN, serves it on 127.0.0.1, opens it in headless Chromium
// (offline) with the fake webcam playing a 640x480 video of one moving synthetic face (test/export/scenes.ts), starts
// the webcam, lets it warm up, then counts the frames scored in --seconds. Prints one JSON line per backend with
// frames/s, faces per frame, the frames on which the detector ran, and the mean milliseconds per frame of each step
// of the loop (copy, grab, detect, track, align, model, draw, wait). Speed figures are only meaningful on a quiet machine.
// Usage: node scripts/browser-fps.js --run DIR [--backends auto,wasm,webgl] [--seconds 10] [--warmup 3] [--detect-every N] [--query 'fused=0&threads=1']
//   --detect-every: override the exported site's align.liveDetectEvery (1 = the detector on every frame, no tracking).
//   --query: extra page parameters (lib/export/page/main.ts: fused=0 runs the AU model unfused, threads=N wasm threads).
//   auto = no ?backend= parameter: the backend the page picks by itself.
'use strict';
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');
const { exportSite, serveStatic } = require('../lib/export');
const { openSiteBrowser } = require('../lib/export/browser');
const { writeWebcamY4m } = require('../test/export/scenes');

async function measure(url, y4m, backend, seconds, warmup, query) {
  const b = await openSiteBrowser(url, { fakeVideo: y4m });
  try {
    const q = new URLSearchParams(query);
    if (backend !== 'auto') q.set('backend', backend);
    await b.page.goto(q.size ? `${url}?${q}` : url, { waitUntil: 'domcontentloaded' });
    await b.page.evaluate(() => window.ferAu.ready);
    await b.page.click('#webcam');
    await b.page.waitForFunction(() => window.ferAuLive && window.ferAuLive.frames >= 3, undefined, { timeout: 120000 });
    await b.page.waitForTimeout(warmup * 1000);
    const snap = () => b.page.evaluate(() => ({ frames: window.ferAuLive.frames, faces: window.ferAuLive.faces, detectorFrames: window.ferAuLive.detectorFrames, ms: { ...window.ferAuLive.ms }, t: performance.now(), error: window.ferAuLive.lastError }));
    const a = await snap();
    await b.page.waitForTimeout(seconds * 1000);
    const z = await snap();
    if (z.error) throw new Error(`page error: ${z.error}`);
    if (b.foreignRequests.length) throw new Error(`the page asked for ${b.foreignRequests.join(', ')}`);
    const n = z.frames - a.frames;
    const ms = {};
    for (const k of Object.keys(z.ms)) ms[k] = +((z.ms[k] - (a.ms[k] ?? 0)) / Math.max(1, n)).toFixed(1);
    return {
      backend: await b.page.evaluate(() => window.ferAu.backend()),
      asked: backend,
      query: query || undefined,
      fusedConvs: await b.page.evaluate(() => window.ferAu.timings().fusedConvs),
      fps: +((n * 1000) / (z.t - a.t)).toFixed(1),
      frames: n,
      seconds: +((z.t - a.t) / 1000).toFixed(1),
      facesPerFrame: +((z.faces - a.faces) / Math.max(1, n)).toFixed(2),
      detectorFrames: z.detectorFrames - a.detectorFrames,
      meanMs: ms,
      crossOriginIsolated: await b.page.evaluate(() => globalThis.crossOriginIsolated),
      wasmThreads: await b.page.evaluate(() => window.ferAu.wasmThreads()),
    };
  } finally {
    await b.close();
  }
}

async function main() {
  const { values } = parseArgs({ options: { run: { type: 'string' }, backends: { type: 'string' }, seconds: { type: 'string' }, warmup: { type: 'string' }, 'detect-every': { type: 'string' }, query: { type: 'string' } } });
  if (!values.run) throw new Error('usage: node scripts/browser-fps.js --run DIR [--backends auto,wasm,webgl] [--seconds 10] [--warmup 3]');
  const backends = (values.backends ?? 'auto,wasm,webgl').split(',').map((s) => s.trim());
  const seconds = Number(values.seconds ?? 10), warmup = Number(values.warmup ?? 3);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-fps-'));
  let server;
  try {
    const r = exportSite({ run: values.run, out: path.join(tmp, 'site') });
    if (values['detect-every'] !== undefined) {
      const file = path.join(tmp, 'site', 'fer-au-site.json');
      const site = JSON.parse(fs.readFileSync(file, 'utf8'));
      site.align.liveDetectEvery = Number(values['detect-every']);
      fs.writeFileSync(file, JSON.stringify(site));
    }
    const y4m = await writeWebcamY4m(path.join(tmp, 'webcam.y4m'));
    server = await serveStatic(path.join(tmp, 'site'));
    for (const backend of backends) {
      const m = await measure(server.url, y4m, backend, seconds, warmup, values.query ?? '');
      console.log(JSON.stringify({ model: `${r.config.backbone} ${r.config.inputSize} px from ${r.config.source}`, detectEvery: Number(values['detect-every'] ?? r.config.align.liveDetectEvery), ...m, loadAverage: os.loadavg().map((x) => +x.toFixed(2)) }));
    }
  } finally {
    await server?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
main().catch((err) => {
  console.error(`browser-fps: ${err.message}`);
  process.exit(1);
});
