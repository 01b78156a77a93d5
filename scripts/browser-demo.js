#!/usr/bin/env node
// The README's screenshot of the exported page: exports RUN, serves it on 127.0.0.1, opens it in headless Chromium
// (offline), puts a photo into the file picker and saves a screenshot of the page. The photo: --image FILE, else
// --synthetic (a drawn photo with two faces), else a real one: face-api's demo/sample2.jpg (three people).
// Usage: node scripts/browser-demo.js --run DIR [--image FILE | --synthetic] [--out results/figures/browser-demo.png]
//        [--backend wasm|webgl]
'use strict';
require('ts-node').register({ transpileOnly: true, project: require('path').join(__dirname, '..', 'tsconfig.json') });
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');
const { exportSite, serveStatic } = require('../lib/export');
const { openSiteBrowser } = require('../lib/export/browser');
const { renderScene } = require('../test/export/scenes');

async function main() {
  const { values } = parseArgs({ options: { run: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, image: { type: 'string' }, synthetic: { type: 'boolean' } } });
  if (!values.run) throw new Error('usage: node scripts/browser-demo.js --run DIR [--image FILE | --synthetic] [--out FILE.png] [--backend wasm|webgl]');
  const out = path.resolve(values.out ?? path.join(__dirname, '..', 'results', 'figures', 'browser-demo.png'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-demo-'));
  const server = { close: async () => undefined };
  try {
    const r = exportSite({ run: values.run, out: path.join(tmp, 'site') });
    let photo = values.image ? path.resolve(values.image) : path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample2.jpg');
    if (values.synthetic) {
      photo = path.join(tmp, 'two-faces.png');
      fs.writeFileSync(photo, await renderScene(960, 420, '#5a6470', [
        { subject: 'SN013', au: { AU06: 4, AU12: 5, AU25: 3 }, cx: 220, cy: 210, angle: 4, scale: 1.3 },
        { subject: 'SN016', au: { AU01: 4, AU02: 4, AU26: 4, AU25: 4 }, cx: 700, cy: 210, angle: -6, scale: 1.3 },
      ]));
    }
    if (!fs.existsSync(photo)) throw new Error(`${photo}: no such image`);
    const s = await serveStatic(path.join(tmp, 'site'));
    server.close = s.close;
    const b = await openSiteBrowser(s.url, { viewport: { width: 1100, height: 700 } });
    try {
      await b.page.goto(`${s.url}${values.backend ? `?backend=${values.backend}` : ''}`, { waitUntil: 'domcontentloaded' });
      await b.page.evaluate(() => window.ferAu.ready);
      await b.page.setInputFiles('#file', photo);
      await b.page.waitForFunction(() => /face 1|no face found/.test(document.getElementById('faces').textContent));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      await b.page.screenshot({ path: out });
      if (b.foreignRequests.length) throw new Error(`the page asked for ${b.foreignRequests.join(', ')}`);
      // The scores behind the bars, for the README's caption.
      const url = `data:image/${path.extname(photo).slice(1).replace('jpg', 'jpeg')};base64,${fs.readFileSync(photo).toString('base64')}`;
      const faces = await b.page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return (await window.ferAu.predict(img)).map((f) => ({ box: f.box, scores: f.scores, present: Object.keys(f.present).filter((k) => f.present[k]) }));
      }, url);
      for (const [i, f] of faces.entries()) {
        console.log(`  face ${i + 1} at x=${Math.round(f.box.x)}: ${Object.entries(f.scores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}; present: ${f.present.join(' ') || 'none'}`);
      }
      console.log(`browser-demo: ${path.basename(photo)}, ${r.config.backbone} ${r.config.inputSize} px from ${r.config.source} on ${await b.page.evaluate(() => window.ferAu.backend())}: ` +
        `${await b.page.evaluate(() => document.getElementById('faces').textContent)} -> ${out}`);
    } finally {
      await b.close();
    }
  } finally {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
main().catch((err) => {
  console.error(`browser-demo: ${err.message}`);
  process.exit(1);
});
