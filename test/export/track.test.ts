import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clipBox, trackedBox, trackHolds } from '../../lib/export/page/track';

const anchor = { anchorBox: { x: 100, y: 80, width: 120, height: 140 }, anchorEyes: [[130, 130], [190, 130]] as [[number, number], [number, number]] };

test('trackedBox is the anchor box when the eyes have not moved', () => {
  assert.deepEqual(trackedBox(anchor, anchor.anchorEyes), anchor.anchorBox);
});

test('trackedBox moves with the eye midpoint and scales with the inter-ocular distance', () => {
  // eyes moved by (+10, -5): the box moves the same
  assert.deepEqual(trackedBox(anchor, [[140, 125], [200, 125]]), { x: 110, y: 75, width: 120, height: 140 });
  // eyes twice as far apart about the same midpoint (160, 130): the box doubles about the midpoint
  // (centre (160, 150) -> 160 + 2 * 0, 130 + 2 * 20 = (160, 170); size 240 x 280)
  assert.deepEqual(trackedBox(anchor, [[100, 130], [220, 130]]), { x: 40, y: 30, width: 240, height: 280 });
});

test('clipBox keeps the part inside the image, floored, as face-api crops it', () => {
  assert.deepEqual(clipBox({ x: -10.5, y: 5.7, width: 50, height: 30 }, 30, 20), { x: 0, y: 5, width: 30, height: 14 });
});

test('trackHolds rejects a jump, a change of scale and a box that has left the image', () => {
  const eyes = anchor.anchorEyes;
  const box = anchor.anchorBox;
  assert.equal(trackHolds(eyes, [[133, 131], [192, 131]], box, 640, 480), true);
  assert.equal(trackHolds(eyes, [[170, 130], [230, 130]], box, 640, 480), false); // midpoint moved 40 > 30
  assert.equal(trackHolds(eyes, [[120, 130], [200, 130]], box, 640, 480), false); // distance 80 vs 60
  assert.equal(trackHolds(eyes, eyes, { x: -100, y: 80, width: 120, height: 140 }, 640, 480), false); // 1/6 inside
});
