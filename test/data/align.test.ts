import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createCanvas } from '@napi-rs/canvas';
import * as fs from 'fs';
import * as path from 'path';
import {
  alignFrames, applyAffine, eyeAlignTransform, eyeCentres, FaceDetector, fitSimilarity, invertAffine,
  type Affine, type Point,
} from '../../lib/data/align';
import { decodeImage } from '../../lib/data/image';
import { renderSyntheticFace } from '../../lib/data/synthetic';
import type { FrameRecord } from '../../lib/data/types';
import { tempDir } from './helpers';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

test('eyeAlignTransform: hand-derived similarity for eyes at (100,100) and (140,130), size 200, eye distance 0.35', () => {
  // |R - L| = 50 at angle t with cos t = 0.8, sin t = 0.6; target eyes (65, 80) and (135, 80): scale 70/50 = 1.4.
  // x' = 1.4(0.8 x + 0.6 y) + e, y' = 1.4(-0.6 x + 0.8 y) + f; L -> (65, 80) gives e = -131, f = 52.
  const m = eyeAlignTransform([100, 100], [140, 130], { size: 200, eyeDistance: 0.35, eyeY: 0.4 });
  const expected = [1.12, -0.84, 0.84, 1.12, -131, 52];
  m.forEach((v, i) => close(v, expected[i], 1e-9, `m[${i}]`));
  const r = applyAffine(m, [140, 130]);
  close(r[0], 135, 1e-9);
  close(r[1], 80, 1e-9);
});

test('fitSimilarity recovers a known similarity from 4 points and invertAffine undoes it', () => {
  const t = (30 * Math.PI) / 180;
  const s = 0.5;
  const known: Affine = [s * Math.cos(t), s * Math.sin(t), -s * Math.sin(t), s * Math.cos(t), 7, -3];
  const src: Point[] = [[0, 0], [10, 0], [3, 9], [-4, 6]];
  const m = fitSimilarity(src, src.map((p) => applyAffine(known, p)));
  m.forEach((v, i) => close(v, known[i], 1e-12, `m[${i}]`));
  const back = applyAffine(invertAffine(m), applyAffine(m, [5, -2]));
  close(back[0], 5, 1e-12);
  close(back[1], -2, 1e-12);
  assert.throws(() => fitSimilarity([[1, 1], [1, 1]], [[0, 0], [1, 1]]), /coincide/);
});

test('eyeCentres averages landmarks 36-41 and 42-47, image-left eye first', () => {
  const lm: Point[] = Array.from({ length: 68 }, () => [0, 0] as Point);
  for (let i = 36; i < 42; i++) lm[i] = [200 + i, 50];
  for (let i = 42; i < 48; i++) lm[i] = [100 + i, 60];
  // 36..41 -> mean x 238.5; 42..47 -> mean x 144.5
  assert.deepEqual(eyeCentres(lm), [[144.5, 60], [238.5, 50]]);
});

test('face-api finds a rotated synthetic face and alignment levels the eyes at the set distance; no-face frames are reported', async () => {
  await tf.setBackend('wasm');
  const dir = tempDir();
  // A synthetic face (the other engineer's renderer), rotated 20 degrees, scaled 0.8 and shifted into a 320 x 320 frame
  // (synthetic set version 2 frames faces as real crops, about 1.5x tighter than version 1, which this test scaled by 1.2).
  const face = await decodeImageFromBytes(renderSyntheticFace('SN001', {}, { size: 224 }), path.join(dir, 'face.png'));
  const canvas = createCanvas(320, 320);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#404040';
  ctx.fillRect(0, 0, 320, 320);
  ctx.translate(170, 150);
  ctx.rotate((20 * Math.PI) / 180);
  ctx.scale(0.8, 0.8);
  ctx.drawImage(face, -112, -112);
  const frameFile = path.join(dir, 'frame.png');
  fs.writeFileSync(frameFile, canvas.encodeSync('png'));
  const blank = createCanvas(160, 120);
  blank.getContext('2d').fillStyle = '#808080';
  blank.getContext('2d').fillRect(0, 0, 160, 120);
  const blankFile = path.join(dir, 'blank.png');
  fs.writeFileSync(blankFile, blank.encodeSync('png'));

  const detector = await FaceDetector.load({ detector: 'ssd', minConfidence: 0.5 });
  const det = await detector.detectImage(await decodeImage(frameFile));
  assert.ok(det, 'the rotated synthetic face is detected');
  const [l, r] = det.eyes;
  close((Math.atan2(r[1] - l[1], r[0] - l[0]) * 180) / Math.PI, 20, 4, 'eye-line angle (degrees)');

  const frames: FrameRecord[] = [
    { subject: 'SN001', frame: 1, image: frameFile, intensity: { AU01: 0 } },
    { subject: 'SN001', frame: 2, image: blankFile, intensity: { AU01: 0 } },
  ];
  const cacheDir = path.join(dir, 'cache');
  const size = 128;
  const a = await alignFrames({ frames, aligned: false }, { size, cacheDir, detectorInstance: detector });
  assert.equal(a.report.total, 2);
  assert.equal(a.report.aligned, 1);
  assert.deepEqual(a.report.noFace, [{ subject: 'SN001', frame: 2, image: blankFile }]);
  assert.equal(a.frames.length, 1);
  assert.ok(a.frames[0].image.startsWith(cacheDir));
  const crop = await decodeImage(a.frames[0].image);
  assert.equal(crop.width, size);
  const again = await detector.detectImage(crop);
  assert.ok(again, 'the aligned crop still holds a detectable face');
  const [l2, r2] = again.eyes;
  close(r2[1] - l2[1], 0, 0.05 * size, 'eye height difference');
  close(Math.hypot(r2[0] - l2[0], r2[1] - l2[1]), 0.35 * size, 0.1 * 0.35 * size, 'inter-ocular distance');
  close((l2[1] + r2[1]) / 2, 0.4 * size, 0.06 * size, 'eye line height');

  assert.equal(a.report.detected, 2);
  // Second run: both answers come from the cache (the no-face marker too), no detector needed.
  const b = await alignFrames({ frames, aligned: false }, { size, cacheDir });
  assert.equal(b.report.cached, 2);
  assert.equal(b.report.detected, 0);
  assert.equal(b.report.noFace.length, 1);
  assert.deepEqual(b.frames, a.frames);
  // An aligned (synthetic) index is returned untouched.
  const c = await alignFrames({ frames, aligned: true }, { size, cacheDir });
  assert.equal(c.frames, frames);
});

test('with detectEvery 2 the middle frame of a moving face gets interpolated eyes that match a detection', async () => {
  await tf.setBackend('wasm');
  const dir = tempDir();
  const face = await decodeImageFromBytes(renderSyntheticFace('SN002', {}, { size: 160 }), path.join(dir, 'face.png'));
  // The face moves right by 12 px per frame.
  const frames: FrameRecord[] = [0, 1, 2].map((k) => {
    const c = createCanvas(256, 200);
    const g = c.getContext('2d');
    g.fillStyle = '#303030';
    g.fillRect(0, 0, 256, 200);
    g.drawImage(face, 20 + 12 * k, 20);
    const file = path.join(dir, `f${k + 1}.png`);
    fs.writeFileSync(file, c.encodeSync('png'));
    return { subject: 'SN002', frame: k + 1, image: file, intensity: { AU01: 0 } };
  });
  const detector = await FaceDetector.load({ detector: 'ssd' });
  const r = await alignFrames({ frames, aligned: false }, { size: 96, detectEvery: 2, cacheDir: path.join(dir, 'cache'), detectorInstance: detector });
  assert.equal(r.report.detected, 2);
  assert.equal(r.report.interpolated, 1);
  assert.equal(r.frames.length, 3);
  const meta = JSON.parse(fs.readFileSync(r.frames[1].image.replace(/\.jpg$/, '.json'), 'utf8'));
  assert.equal(meta.interpolated, true);
  const direct = await detector.detectImage(await decodeImage(frames[1].image));
  assert.ok(direct);
  for (const e of [0, 1]) for (const c of [0, 1]) close(meta.eyes[e][c], direct.eyes[e][c], 3, `eye ${e} coord ${c}`);
});

async function decodeImageFromBytes(bytes: Uint8Array, file: string) {
  fs.writeFileSync(file, bytes);
  return decodeImage(file);
}
