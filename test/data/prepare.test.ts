import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { loadDisfa } from '../../lib/data/disfa';
import { readDisfaLandmarks } from '../../lib/data/disfa_landmarks';
import { prepareDisfa, readPrepared } from '../../lib/data/prepare';
import { removeDeadTemps, tempFor } from '../../lib/util/temp';
import { preparedCrop } from '../../lib/data/prepare_manifest';
import type { PreparedManifest } from '../../lib/data/prepare_manifest';
import { writeSyntheticDisfa } from '../../lib/data/synthetic/writer';
import { planPrepare } from '../../lib/data/prepare_plan';
import { ffmpegAvailable, probeVideo, streamFrames } from '../../lib/data/video';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'fer-au.js');

let setPromise: Promise<string> | null = null;
/** A synthetic set in DISFA's video + landmarks layout: 2 subjects x 60 frames, 320 x 240. */
function videoSet(): Promise<string> {
  setPromise ??= (async () => {
    const out = path.join(tempDir(), 'disfa-video');
    await writeSyntheticDisfa({ out, subjects: 2, frames: 60, layout: 'video', frameSize: [320, 240], workers: 0 });
    return out;
  })();
  return setPromise;
}

function treeHash(dir: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d).sort()) {
      const f = path.join(d, e);
      if (e === 'locks' || e === 'plan.json') continue;
      if (fs.statSync(f).isDirectory()) walk(f);
      else h.update(path.relative(dir, f)).update(fs.readFileSync(f));
    }
  };
  walk(dir);
  return h.digest('hex');
}

test('seeking streamFrames to frame k gives the same pixels as decoding from the start (MPEG-4 with keyframes every 20 frames)', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const video = path.join(await videoSet(), 'Videos_LeftCamera', 'LeftVideoSN001_comp.avi');
  const all: string[] = [];
  await streamFrames(video, (rgb) => void all.push(crypto.createHash('md5').update(rgb).digest('hex')));
  assert.equal(all.length, 60);
  const part: string[] = [];
  const n = await streamFrames(video, (rgb, i) => void part.push(`${i}:${crypto.createHash('md5').update(rgb).digest('hex')}`), { start: 27, count: 10 });
  assert.equal(n, 10);
  assert.deepEqual(part, all.slice(27, 37).map((h, j) => `${27 + j}:${h}`));
});

test('planning reads each video once with ffprobe (the scan and the plan share the probe); a rewritten file is probed again', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const root = await videoSet();
  const cp = require('child_process') as { spawnSync: typeof spawnSync };
  const real = cp.spawnSync;
  const probes: string[] = [];
  cp.spawnSync = ((cmd: string, args: string[], o: object) => {
    if (cmd === 'ffprobe' && args.includes('-count_packets')) probes.push(path.basename(args[args.length - 1]));
    return real(cmd, args, o);
  }) as typeof spawnSync;
  try {
    const plan = planPrepare(root, { out: path.join(tempDir(), 'plan-only') });
    assert.equal(plan.totalFrames, 120);
    const first = probes.length;
    assert.ok(first <= 2, `probed ${probes.join(', ')}`);
    planPrepare(root, { out: path.join(tempDir(), 'plan-only') });
    assert.equal(probes.length, first, 'a second plan of the same files probes nothing');
    const video = path.join(root, 'Videos_LeftCamera', 'LeftVideoSN001_comp.avi');
    const st = fs.statSync(video);
    fs.utimesSync(video, st.atime, new Date(st.mtimeMs + 1000));
    try {
      assert.equal(probeVideo(video).frames, 60);
      assert.equal(probes.length, first + 1);
    } finally {
      fs.utimesSync(video, st.atime, st.mtime);
    }
  } finally {
    cp.spawnSync = real;
  }
});

test('prepare aligns every frame from the landmarks, and loadDisfa reads the prepared set', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const root = await videoSet();
  const out = path.join(tempDir(), 'prep');
  const r = await prepareDisfa(root, { out, workers: 0, settings: { chunk: 25 } });
  const m = r.manifest;
  assert.deepEqual(m.totals, { frames: 120, aligned: 120, landmarks: 120, detected: 0, tracked: 0, noFace: 0 });
  assert.deepEqual(m.subjects.map((s) => [s.id, s.frames, s.landmarkFiles, s.landmarkBase]), [['SN001', 60, 60, 0], ['SN002', 60, 60, 0]]);
  assert.equal(r.chunks, 6);
  assert.ok(fs.existsSync(preparedCrop(r.dir, m, 'SN001', 31)!));
  // a rerun finds the set prepared and does nothing; loadDisfa reads it, also through the prepared folder itself
  assert.equal((await prepareDisfa(root, { out, workers: 0, settings: { chunk: 25 } })).frames, 0);
  const index = await loadDisfa(out);
  assert.equal(index.aligned, true);
  assert.equal(index.frames.length, 120);
  assert.ok(index.frames.every((f) => f.image.startsWith(out) && fs.existsSync(f.image)));
  assert.equal(readDisfaLandmarks(path.join(root, 'Landmark_Points/SN001/tmp_frame_lm/SN001_0030_lm.mat')).length, 66);
});

test('kill -9 during prepare, then a rerun, gives the same manifest and crops as an uninterrupted run', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const root = await videoSet();
  const clean = path.join(tempDir(), 'clean');
  const killed = path.join(tempDir(), 'killed');
  const args = (out: string) => [BIN, 'data', 'prepare', '--root', root, '--out', out, '--workers', '0', '--chunk', '10', '--quiet'];
  assert.equal(spawnSync(process.execPath, args(clean)).status, 0);
  const child = spawn(process.execPath, args(killed), { stdio: 'ignore' });
  const deadline = Date.now() + 120_000;
  // kill as soon as the first chunk is complete and the next one half-written in its temporary folder
  const subjectDir = path.join(killed, 'frames', 'SN001');
  const temps = () => (fs.existsSync(subjectDir) ? fs.readdirSync(subjectDir).filter((e) => e.endsWith('.tmp')) : []);
  while (!(fs.existsSync(path.join(subjectDir, '00001-00010', 'chunk.json')) && temps().length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.equal(readPrepared(killed), null, 'killed before the manifest');
  assert.ok(temps().length > 0, 'killed with a chunk half-written');
  const rerun = spawnSync(process.execPath, args(killed), { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.deepEqual(temps(), [], 'the killed process\'s temporary folder is removed');
  assert.equal(fs.readFileSync(path.join(killed, 'prepared.json'), 'utf8'), fs.readFileSync(path.join(clean, 'prepared.json'), 'utf8'));
  assert.equal(treeHash(killed), treeHash(clean));
});

test('removeDeadTemps removes the temporary folders of dead processes of this host, not those of live ones or other hosts', () => {
  const dir = tempDir();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid is dead (until reused)
  const deadTemp = path.basename(tempFor(path.join(dir, '00001-00500'))).replace(`.${process.pid}.tmp`, `.${dead}.tmp`);
  const liveTemp = path.basename(tempFor(path.join(dir, '00501-01000')));
  const otherHost = `00001-00500.another-host.${dead}.tmp`;
  for (const name of [deadTemp, liveTemp, otherHost, '00001-00500']) fs.mkdirSync(path.join(dir, name, 'x'), { recursive: true });
  assert.deepEqual(removeDeadTemps(dir), [deadTemp]);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['00001-00500', liveTemp, otherHost].sort());
});

test('three processes on one prepared set share the chunks (each done once) and end with the same manifest', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const root = await videoSet();
  const out = path.join(tempDir(), 'shared');
  const runs = await Promise.all([0, 1, 2].map(() => new Promise<string>((resolve, reject) => {
    const c = spawn(process.execPath, [BIN, 'data', 'prepare', '--root', root, '--out', out, '--workers', '0', '--chunk', '10', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    c.stdout.on('data', (d: Buffer) => (text += d.toString()));
    c.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
  })));
  const mine = runs.map((s) => Number(/this process: (\d+) frames/.exec(s)![1]));
  assert.equal(mine.reduce((a, b) => a + b, 0), 120, `frames per process ${mine.join(', ')}`);
  const m = readPrepared(out) as PreparedManifest;
  assert.equal(m.totals.landmarks, 120);
});

test('a video/label mismatch uses the first min(video, labels) frames with a warning; frames without landmarks are detected and tracked', async (t) => {
  if (!ffmpegAvailable()) return t.skip('ffmpeg not installed');
  const src = await videoSet();
  const root = path.join(tempDir(), 'edited');
  fs.cpSync(src, root, { recursive: true });
  // SN002: one label line more than the video's 60 frames; SN001: no landmark files for frames 11-20
  const labelsDir = path.join(root, 'ActionUnit_Labels', 'SN002');
  for (const f of fs.readdirSync(labelsDir)) fs.appendFileSync(path.join(labelsDir, f), '61,0\n');
  for (let f = 11; f <= 20; f++) fs.rmSync(path.join(root, 'Landmark_Points/SN001/tmp_frame_lm', `SN001_${String(f - 1).padStart(4, '0')}_lm.mat`));
  const warnings: string[] = [];
  const r = await prepareDisfa(root, { out: path.join(tempDir(), 'p'), workers: 0, settings: { chunk: 20, detectEvery: 4 }, onWarning: (w) => warnings.push(w) });
  assert.ok(warnings.some((w) => /SN002: video has 60 frames, the labels 61: using the first 60/.test(w)), warnings.join('\n'));
  const sn2 = r.manifest.subjects.find((s) => s.id === 'SN002')!;
  assert.deepEqual([sn2.labelFrames, sn2.sourceFrames, sn2.frames], [61, 60, 60]);
  const sn1 = r.manifest.subjects.find((s) => s.id === 'SN001')!;
  assert.equal(sn1.aligned.landmarks, 50);
  // chunk 1-20: frames 11-20 have no landmarks; key frames at chunk offsets 12 and 16 and the last (20) are detected
  assert.equal(sn1.aligned.detected + sn1.aligned.tracked + sn1.noFace.reduce((a, [x, y]) => a + y - x + 1, 0), 10);
  assert.equal(sn1.aligned.detected, 3);
  assert.ok(r.manifest.warnings.some((w) => /SN001: landmark files for 50 of 60 frames/.test(w)));
});
