import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifest, requireStrings } from '../../lib/util/manifest';
import { loadBaselines } from '../../lib/metrics/baselines';
import { loadImagenetTop1 } from '../../lib/report/imagenet';

function withFile(value: unknown, fn: (file: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-manifest-'));
  try {
    const file = path.join(dir, 'm.json');
    fs.writeFileSync(file, JSON.stringify(value));
    fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const checks = { row: (r: Record<string, unknown>, at: string, fail: (f: string, w: string) => never) => requireStrings(r, ['name'], at, fail) };

test('the manifest loader names the file and the field of the first problem', () => {
  withFile({ schemaVersion: 2, rows: [] }, (f) => assert.throws(() => loadManifest(f, checks), { message: `${f}: schemaVersion must be 1, got 2` }));
  withFile({ schemaVersion: 1, rows: [] }, (f) => assert.throws(() => loadManifest(f, checks), { message: `${f}: rows must be a non-empty list` }));
  withFile({ schemaVersion: 1, rows: [{ name: 'a' }, 7] }, (f) => assert.throws(() => loadManifest(f, checks), { message: `${f}: rows[1] must be an object` }));
  withFile({ schemaVersion: 1, rows: [{ name: 'a' }, { name: '' }] }, (f) => assert.throws(() => loadManifest(f, checks), { message: `${f}: rows[1].name must be a non-empty string` }));
  withFile({ schemaVersion: 1, rows: [{ name: 'a' }] }, (f) => assert.deepEqual(loadManifest(f, checks), { schemaVersion: 1, rows: [{ name: 'a' }] }));
});

test('baselines and ImageNet facts load through it', () => {
  assert.ok(loadBaselines().rows.some((r) => r.method === 'EAC-Net' && r.averageReported === 48.5));
  assert.ok(loadImagenetTop1().rows.some((r) => r.name.startsWith('MobileNet') && r.selected));
  withFile({ schemaVersion: 1, dataset: 'bp4d', aus: ['AU01'], rows: [{}] }, (f) => assert.throws(() => loadBaselines(f), { message: `${f}: dataset must be "disfa", got "bp4d"` }));
});
