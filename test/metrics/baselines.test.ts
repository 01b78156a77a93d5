import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BASELINES_FILE, loadBaselines, recomputedAverage } from '../../lib/metrics';

const B = loadBaselines();

test('baselines.json loads with the 8 paper AUs and the published methods', () => {
  assert.deepEqual(B.aus, ['AU01', 'AU02', 'AU04', 'AU06', 'AU09', 'AU12', 'AU25', 'AU26']);
  assert.deepEqual(
    B.rows.map((r) => r.method),
    ['DRML', 'EAC-Net', 'JAA-Net', 'LP-Net', 'ARL', 'ME-GraphAU ResNet-50', 'JÂA-Net', 'CLEF', 'MMA-Net'],
  );
  for (const r of B.rows) assert.match(r.source, /\S/);
});

test('every per-AU row averages to its reported average within rounding (0.1), unless flagged with averageNote', () => {
  const checked: string[] = [];
  for (const r of B.rows) {
    const avg = recomputedAverage(r, B.aus);
    if (avg === null || r.averageNote !== undefined) continue;
    assert.ok(Math.abs(avg - r.averageReported) <= 0.1 + 1e-9, `${r.method}: recomputed ${avg}, reported ${r.averageReported}`);
    checked.push(r.method);
  }
  assert.equal(checked.length, 7);
});

test("EAC-Net is the flagged row: its per-AU F1 average to 57.4 while 48.5 is reported", () => {
  const flagged = B.rows.filter((r) => r.perAu !== null && r.averageNote !== undefined);
  assert.deepEqual(flagged.map((r) => r.method), ['EAC-Net']);
  const eac = flagged[0];
  assert.equal(Math.round(recomputedAverage(eac, B.aus)! * 10) / 10, 57.4);
  assert.equal(eac.averageReported, 48.5);
  assert.match(eac.averageNote!, /57\.4/);
});

test('DRML is an average-only row (26.7) with a note', () => {
  const drml = B.rows.find((r) => r.method === 'DRML')!;
  assert.equal(drml.perAu, null);
  assert.equal(drml.averageReported, 26.7);
  assert.equal(recomputedAverage(drml, B.aus), null);
});

test('loadBaselines names the file and the field of a bad entry', () => {
  const raw = JSON.parse(fs.readFileSync(BASELINES_FILE, 'utf8'));
  delete raw.rows[2].perAu.AU09;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-baselines-')), 'baselines.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  try {
    assert.throws(() => loadBaselines(file), (e: Error) => e.message.startsWith(file) && /rows\[2\]\.perAu\.AU09/.test(e.message));
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true });
  }
});
