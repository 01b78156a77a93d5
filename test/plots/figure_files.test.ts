import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIGURE_MANIFEST, figureHash, readFigureManifest, writeFigures, type PlotlyFigure } from '../../lib/plots';

const fig = (title: string): PlotlyFigure => ({ data: [{ type: 'bar', x: ['AU01'], y: [30] }], layout: { title: { text: title } } });

/** An exporter that records what it renders and returns a different PNG every call (as Chromium may). */
function fakeExporter(log: string[]) {
  let n = 0;
  return async () => ({
    render: async (f: PlotlyFigure, format: string) => {
      log.push(`${(f.layout.title as { text: string }).text}.${format}`);
      return new Uint8Array(Buffer.from(`${format} render ${n++}`));
    },
    close: async () => undefined,
  });
}

test('a rerun on unchanged figures renders nothing and leaves every file byte-identical', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-figfiles-'));
  try {
    const log: string[] = [];
    const figs = [{ name: 'a', figure: fig('A') }, { name: 'b', figure: fig('B') }];
    await writeFigures(figs, dir, { openExporter: fakeExporter(log) });
    assert.deepEqual(log, ['A.png', 'A.svg', 'B.png', 'B.svg']);
    const snapshot = () => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const before = snapshot();
    assert.deepEqual(Object.keys(before), ['a.html', 'a.png', 'a.svg', 'b.html', 'b.png', 'b.svg', FIGURE_MANIFEST]);
    const statuses: string[] = [];
    await writeFigures(figs, dir, { openExporter: fakeExporter(log), onFigure: (n, s) => statuses.push(`${n} ${s}`) });
    assert.equal(log.length, 4); // nothing rendered again
    assert.deepEqual(statuses, ['a unchanged', 'b unchanged']);
    assert.deepEqual(snapshot(), before);
    assert.equal(readFigureManifest(dir).figures.a.sha256, figureHash(fig('A')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a changed figure, a missing file or another scale renders again; dropped figures leave the manifest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-figfiles-'));
  try {
    const log: string[] = [];
    await writeFigures([{ name: 'a', figure: fig('A') }, { name: 'b', figure: fig('B') }], dir, { openExporter: fakeExporter(log) });
    log.length = 0;
    fs.rmSync(path.join(dir, 'b.svg'));
    await writeFigures([{ name: 'a', figure: fig('A2') }, { name: 'b', figure: fig('B') }], dir, { openExporter: fakeExporter(log) });
    assert.deepEqual(log, ['A2.png', 'A2.svg', 'B.png', 'B.svg']);
    assert.match(fs.readFileSync(path.join(dir, 'a.html'), 'utf8'), /A2/);
    log.length = 0;
    await writeFigures([{ name: 'a', figure: fig('A2') }], dir, { openExporter: fakeExporter(log), scale: 1 });
    assert.deepEqual(log, ['A2.png', 'A2.svg']);
    assert.deepEqual(Object.keys(readFigureManifest(dir).figures), ['a']);
    assert.notEqual(figureHash(fig('A2'), 1), figureHash(fig('A2'), 2));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
