import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetStats, labelsOf } from '../../lib/data/labels';
import type { FrameRecord } from '../../lib/data/types';

const rec = (subject: string, frame: number, intensity: Record<string, number>): FrameRecord => ({ subject, frame, image: `/x/${subject}/${frame}.jpg`, intensity });

const FRAMES = [
  rec('SN001', 1, { AU01: 0, AU02: 2, AU12: 5 }),
  rec('SN001', 2, { AU01: 1, AU02: 3, AU12: 2 }),
  rec('SN002', 1, { AU01: 4, AU02: 0, AU12: 1 }),
];

test('labelsOf is 1 exactly where intensity >= 2, row-major [frames, aus] in the order of aus', () => {
  assert.deepEqual([...labelsOf(FRAMES, ['AU01', 'AU02', 'AU12'])], [0, 1, 1, 0, 1, 1, 1, 0, 0]);
  assert.deepEqual([...labelsOf(FRAMES, ['AU12', 'AU01'])], [1, 0, 1, 0, 0, 1]);
  assert.deepEqual([...labelsOf(FRAMES, ['AU01'], 4)], [0, 0, 1]);
});

test('labelsOf names the frame and AU when a label is missing', () => {
  assert.throws(() => labelsOf(FRAMES, ['AU04']), /SN001 frame 1 .*AU04/);
});

test('datasetStats counts positives, per-subject positives, intensities and co-occurrence', () => {
  const s = datasetStats({ frames: FRAMES, aus: ['AU01', 'AU02', 'AU12'] });
  assert.equal(s.frames, 3);
  assert.deepEqual(s.subjects, ['SN001', 'SN002']);
  assert.deepEqual(s.positives, { AU01: 1, AU02: 2, AU12: 2 });
  assert.deepEqual(s.perSubject.SN001, { frames: 2, positives: { AU01: 0, AU02: 2, AU12: 2 } });
  assert.deepEqual(s.perSubject.SN002, { frames: 1, positives: { AU01: 1, AU02: 0, AU12: 0 } });
  assert.deepEqual(s.intensityHistogram.AU12, [0, 1, 1, 0, 0, 1]);
  // present sets: {AU02, AU12}, {AU02, AU12}, {AU01}
  assert.deepEqual(s.cooccurrence, [
    [1, 0, 0],
    [0, 2, 2],
    [0, 2, 2],
  ]);
  assert.equal(s.noneActive, 0);
  assert.equal(s.rate.AU02, 2 / 3);
});
