import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { encodeMatDouble, parseMat } from '../../lib/data/mat';

// Fixtures and expected values from scripts/fixtures/mat.py (scipy.io.savemat / loadmat).
const dir = path.join(__dirname, '..', 'fixtures', 'data', 'mat');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { pts: number[][]; small: number[][] };
const rowsOf = (m: { dims: number[]; data: Float64Array }) =>
  Array.from({ length: m.dims[0] }, (_, i) => Array.from({ length: m.dims[1] }, (_, j) => m.data[i + j * m.dims[0]]));

test('parseMat reads a 66 x 2 double matrix written by scipy, uncompressed and zlib-compressed', () => {
  for (const f of ['pts_plain.mat', 'pts_compressed.mat']) {
    const m = parseMat(fs.readFileSync(path.join(dir, f)), f).get('pts');
    assert.ok(m, f);
    assert.deepEqual(m.dims, [66, 2]);
    assert.deepEqual(rowsOf(m), expected.pts);
  }
  const other = parseMat(fs.readFileSync(path.join(dir, 'pts_compressed.mat'))).get('other');
  assert.deepEqual(other && rowsOf(other), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
});

test('parseMat reads values stored as uint8 (MATLAB narrows doubles that fit)', () => {
  const m = parseMat(fs.readFileSync(path.join(dir, 'pts_uint8.mat'))).get('pts')!;
  assert.deepEqual(rowsOf(m), expected.small);
});

test('encodeMatDouble round-trips through parseMat and errors name the file', () => {
  const rows = [[1.5, -2], [3, 4.25], [1e6, 0]];
  const m = parseMat(encodeMatDouble('pts', rows)).get('pts')!;
  assert.deepEqual(m.dims, [3, 2]);
  assert.deepEqual(rowsOf(m), rows);
  assert.throws(() => parseMat(Buffer.alloc(10), 'x.mat'), /x\.mat: not a MAT file/);
  const bad = encodeMatDouble('pts', rows);
  bad.write('XX', 126, 'latin1');
  assert.throws(() => parseMat(bad, 'y.mat'), /y\.mat: not a Level 5 MAT file/);
});
