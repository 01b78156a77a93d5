import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createCanvas } from '@napi-rs/canvas';
import { rgbaToRgb, warpIntoRgb } from '../../lib/data/pixels';

test('rgbaToRgb drops the alpha byte of every pixel', () => {
  assert.deepEqual([...rgbaToRgb(new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 0]))], [1, 2, 3, 4, 5, 6]);
});

test('warpIntoRgb moves a pixel where the affine map sends it and leaves uncovered pixels black', () => {
  // A 4x4 source, white at (1, 1) only; the map shifts by (+2, +1): the white pixel lands at (3, 2).
  const src = createCanvas(4, 4);
  const sctx = src.getContext('2d');
  sctx.fillStyle = '#000';
  sctx.fillRect(0, 0, 4, 4);
  sctx.fillStyle = '#fff';
  sctx.fillRect(1, 1, 1, 1);
  const dst = createCanvas(6, 6).getContext('2d');
  dst.imageSmoothingEnabled = false;
  dst.fillStyle = '#f00'; // whatever was there before is overwritten
  dst.fillRect(0, 0, 6, 6);
  const rgb = warpIntoRgb(dst, src, 5, [1, 0, 0, 1, 2, 1]);
  assert.equal(rgb.length, 5 * 5 * 3);
  const at = (x: number, y: number) => [...rgb.subarray((y * 5 + x) * 3, (y * 5 + x) * 3 + 3)];
  assert.deepEqual(at(3, 2), [255, 255, 255]);
  assert.deepEqual(at(1, 1), [0, 0, 0]);
  assert.deepEqual(at(0, 0), [0, 0, 0]);
  assert.deepEqual(at(4, 4), [0, 0, 0]);
});
