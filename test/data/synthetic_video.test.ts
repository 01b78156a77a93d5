import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createCanvas, type Canvas } from '@napi-rs/canvas';
import type { Affine } from '../../lib/data/align/geometry';
import { frameIntensities, frameNuisance } from '../../lib/data/synthetic/frame';
import { sampleIdentity } from '../../lib/data/synthetic/identity';
import { FaceRenderer } from '../../lib/data/synthetic/render';
import { synthesizeSubjectLabels } from '../../lib/data/synthetic/trajectory';
import { cameraTransform, landmarkDir, VideoComposer, videoFile } from '../../lib/data/synthetic/video_layout';
import { writeSyntheticDisfa } from '../../lib/data/synthetic/writer';
import { ffmpegAvailable } from '../../lib/data/video';
import { tempFor } from '../../lib/util/temp';
import { tempDir } from './helpers';

/** The composer as it was before the dirty-rectangle change: clear the whole frame, draw, read it all back. */
function fullRedraw(face: Canvas, m: Affine, background: [number, number, number], width: number, height: number): Buffer {
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.fillStyle = `rgb(${background.join(',')})`;
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.setTransform(m[0], m[1], m[2], m[3], m[4], m[5]);
  ctx.drawImage(face, 0, 0);
  return Buffer.from(ctx.getImageData(0, 0, width, height).data);
}

test('the composer gives the bytes of a full redraw: subjects in turn, the face moving, partly leaving the frame', () => {
  const [W, H, size] = [320, 240, 64];
  const r = new FaceRenderer(size);
  const composer = new VideoComposer(W, H);
  for (const subject of ['SN001', 'SN002']) {
    const labels = synthesizeSubjectLabels({ seed: 0, subject, frames: 4845 });
    const id = sampleIdentity(0, subject);
    // frames far apart on the timeline so the camera drift (scale, roll, position) changes a lot between them
    for (const i of [0, 1, 2, 350, 351, 700, 1400, 2100, 2800, 4000]) {
      r.render(id, frameIntensities(labels, i), frameNuisance(0, id, labels, i));
      const cam = cameraTransform(0, subject, i, size, W, H);
      const got = composer.compose(r.canvas(), cam, id.background.base);
      assert.ok(got.equals(fullRedraw(r.canvas(), cam, id.background.base, W, H)), `${subject} frame ${i}`);
    }
    // partly outside the frame (clipped footprint), then back
    for (const cam of [[1.5, 0.2, -0.2, 1.5, W - 40, -30], [1, 0, 0, 1, 10, 10]] as Affine[]) {
      const got = composer.compose(r.canvas(), cam, id.background.base);
      assert.ok(got.equals(fullRedraw(r.canvas(), cam, id.background.base, W, H)), `${subject} at ${cam.join(',')}`);
    }
  }
});

test('a frame handed out stays intact through the next compose (double buffer)', () => {
  const [W, H, size] = [160, 120, 48];
  const r = new FaceRenderer(size);
  const id = sampleIdentity(0, 'SN003');
  const labels = synthesizeSubjectLabels({ seed: 0, subject: 'SN003', frames: 4845 });
  r.render(id, frameIntensities(labels, 0), frameNuisance(0, id, labels, 0));
  const composer = new VideoComposer(W, H);
  const a = composer.compose(r.canvas(), [1, 0, 0, 1, 5, 5], id.background.base);
  const copy = Buffer.from(a);
  const b = composer.compose(r.canvas(), [1, 0, 0, 1, 90, 60], id.background.base);
  assert.notEqual(a, b);
  assert.ok(a.equals(copy));
});

test('a video-layout rerun after a killed writer removes what the dead process left and completes the subject', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const out = path.join(tempDir(), 'video');
  const opts = { out, subjects: 1, frames: 6, size: 48, layout: 'video' as const, frameSize: [96, 64] as [number, number], workers: 0 };
  await writeSyntheticDisfa(opts);
  // what a kill -9 during SN001 leaves: its temporary video and landmark folder, under a dead pid
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const asDead = (target: string) => tempFor(target).replace(`.${process.pid}.tmp`, `.${dead}.tmp`);
  const video = videoFile(out, 'SN001'), lm = landmarkDir(out, 'SN001');
  fs.writeFileSync(asDead(video), 'half a video');
  fs.mkdirSync(asDead(lm));
  fs.rmSync(video); // the subject is incomplete, so the rerun renders it again
  await writeSyntheticDisfa(opts);
  assert.deepEqual(fs.readdirSync(path.dirname(video)), [path.basename(video)]);
  assert.deepEqual(fs.readdirSync(path.dirname(lm)), ['tmp_frame_lm']);
  assert.equal(fs.readdirSync(lm).length, 6);
});
