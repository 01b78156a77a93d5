import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FigureExporter, chromiumMissingMessage, exportFigure, findChromium, perAuF1Figure, figureHtml } from '../../lib/plots';
import { SMALL_BASELINES } from './fixtures/runs';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const chromium = findChromium();
const skip = chromium ? false : chromiumMissingMessage();

const fig = perAuF1Figure([{ label: 'ours', perAu: { AU01: 0.3, AU02: 0.2, AU04: 0.6 }, meanF1: 0.3667 }], SMALL_BASELINES);

test('a figure exports to a PNG of the layout size times the scale, an SVG and an HTML page', { skip, timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-export-'));
  const ex = await FigureExporter.open();
  try {
    const files = await exportFigure(ex, fig, path.join(dir, 'f1'), { scale: 1 });
    const png = fs.readFileSync(files.png!);
    assert.deepEqual([...png.subarray(0, 8)], PNG_SIGNATURE);
    // IHDR: width and height, big-endian, at bytes 16..24.
    assert.equal(png.readUInt32BE(16), fig.layout.width);
    assert.equal(png.readUInt32BE(20), fig.layout.height);
    assert.ok(png.length > 10_000, `PNG is only ${png.length} bytes`);
    const svg = fs.readFileSync(files.svg!, 'utf8');
    assert.match(svg, /^<svg/);
    assert.match(svg, /EAC-Net \(48\.5 reported\)/);
    const html = fs.readFileSync(files.html!, 'utf8');
    assert.match(html, /<script src="[^"]*node_modules\/plotly\.js-dist\/plotly\.js"><\/script>/);
    assert.ok(html.includes('"EAC-Net (48.5 reported)"'));
  } finally {
    await ex.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('standalone HTML escapes figure text so a title cannot close the script element', () => {
  const evil = { data: [], layout: { title: { text: '</script><b>x' } } };
  const html = figureHtml(evil, { title: 't', source: { kind: 'url', url: 'plotly.js' } });
  assert.ok(!html.includes('</script><b>'));
  assert.ok(html.includes('\\u003c/script>\\u003cb>x'));
});
