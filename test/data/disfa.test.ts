import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { command } from '../../lib/commands/data';
import { UsageError } from '../../lib/commands/types';
import { checkDataset } from '../../lib/data/check';
import { loadDisfa, parseDisfaLabels, scanDisfa } from '../../lib/data/disfa';
import { DatasetError, type DataProblem } from '../../lib/data/types';
import { ffmpegAvailable } from '../../lib/data/video';
import { copyFixture, FIXTURES, tempDir } from './helpers';

const ALL_AUS = ['AU01', 'AU02', 'AU04', 'AU05', 'AU06', 'AU09', 'AU12', 'AU15', 'AU17', 'AU20', 'AU25', 'AU26'];
// Positives of the fixture, from an independent Python one-liner over the generator's formula
// (f*(k+1)*(s+1) + k*k + s) % 6 >= 2 for s in 0..2, k in 0..11, f in 1..6:
//   python3 -c "print([sum(((f*(k+1)*(s+1)+k*k+s)%6)>=2 for s in range(3) for f in range(1,7)) for k in range(12)])"
//   -> [14, 14, 12, 14, 11, 12, 14, 14, 12, 14, 11, 12]
const POSITIVES = [14, 14, 12, 14, 11, 12, 14, 14, 12, 14, 11, 12];
const FIX = path.join(FIXTURES, 'disfa');

function only(problems: DataProblem[], code: string): DataProblem[] {
  return problems.filter((p) => p.code === code);
}

test('the DISFA fixture (CRLF, trailing blank lines, BOM and spaces, jpg and png) loads without problems', async () => {
  const r = checkDataset('disfa', FIX);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.aus, ALL_AUS);
  assert.deepEqual(r.subjects, [
    { id: 'SN001', frames: 6, images: 6 },
    { id: 'SN003', frames: 6, images: 6 },
    { id: 'SN006', frames: 6, images: 6 },
  ]);
  assert.deepEqual(r.positives, Object.fromEntries(ALL_AUS.map((a, k) => [a, POSITIVES[k]])));
  assert.equal(r.threshold, 2);
  assert.deepEqual(r.folds, [['SN003'], ['SN006'], ['SN001']]);
  const index = await loadDisfa(FIX);
  assert.equal(index.frames.length, 18);
  assert.equal(index.aligned, false);
  assert.deepEqual(index.subjects, ['SN001', 'SN003', 'SN006']);
  // SN003 (s = 2), AU04 (k = 2), frame 5: (5*3*3 + 4 + 2) % 6 = 51 % 6 = 3
  const f = index.frames.find((x) => x.subject === 'SN003' && x.frame === 5)!;
  assert.equal(f.intensity.AU04, 3);
  assert.equal(path.basename(f.image), '00005.jpg');
  assert.equal(path.basename(index.frames.find((x) => x.subject === 'SN006')!.image), '00001.png');
});

test('loadDisfa reads a subset of AUs and subjects and subsamples frames evenly', async () => {
  const index = await loadDisfa(FIX, { aus: ['AU12', 'AU01'], subjects: ['SN006'], framesPerSubject: 3 });
  assert.deepEqual(index.aus, ['AU12', 'AU01']);
  // evenly spread, centred: index floor((i + 0.5) * 6 / 3) = 1, 3, 5 -> frames 2, 4, 6
  assert.deepEqual(index.frames.map((f) => f.frame), [2, 4, 6]);
  assert.deepEqual(Object.keys(index.frames[0].intensity), ['AU12', 'AU01']);
  await assert.rejects(loadDisfa(FIX, { aus: ['AU03'] }), /unknown AU\(s\) AU03/);
});

test('a label file with only some AUs present: aus are those with files; missing ones for a subject are reported', () => {
  const root = copyFixture('disfa');
  for (const s of ['SN001', 'SN003', 'SN006']) for (const n of [5, 15, 17, 20]) fs.rmSync(path.join(root, `ActionUnit_Labels/${s}/${s}_au${n}.txt`));
  assert.deepEqual(checkDataset('disfa', root).aus, ['AU01', 'AU02', 'AU04', 'AU06', 'AU09', 'AU12', 'AU25', 'AU26']);
  assert.deepEqual(checkDataset('disfa', root).problems, []);
  fs.rmSync(path.join(root, 'ActionUnit_Labels/SN006/SN006_au9.txt'));
  const p = checkDataset('disfa', root).problems;
  assert.equal(p.length, 1);
  assert.equal(p[0].code, 'missing-file');
  assert.equal(p[0].file, path.join(root, 'ActionUnit_Labels/SN006/SN006_au9.txt'));
});

test('parseDisfaLabels reports the line of a malformed line, an intensity outside 0-5, a duplicate and a gap', () => {
  const problems: DataProblem[] = [];
  const text = '1,0\n2,6\n3;1\n4,2.5\n4,1\n7,2\n\n';
  const lf = parseDisfaLabels(text, 'x.txt', problems);
  assert.deepEqual(problems.map((p) => [p.code, p.line]), [
    ['intensity-range', 2],
    ['bad-line', 3],
    ['intensity-range', 4],
    ['duplicate-frame', 5],
    ['missing-frame', 6],
  ]);
  // '3;1' stands for frame 3, so only the real gap (frames 5-6) is reported, on line 6.
  assert.match(problems[4].message, /frames 5-6 missing/);
  assert.equal(lf.frames, 7);
  assert.deepEqual(lf.intensities, [0, NaN, NaN, NaN, NaN, NaN, 2]);
  const dup: DataProblem[] = [];
  parseDisfaLabels('1,0\r\n2,1\r\n2,3\r\n', 'y.txt', dup);
  assert.deepEqual(dup.map((p) => [p.code, p.line]), [['duplicate-frame', 3]]);
});

test('every bad DISFA input is reported with its file (and line), and all of them at once', () => {
  const root = copyFixture('disfa');
  const L = (s: string, n: number) => path.join(root, `ActionUnit_Labels/${s}/${s}_au${n}.txt`);
  const F = (s: string, f: string) => path.join(root, `Frames_LeftCamera/${s}/${f}`);
  fs.rmSync(L('SN001', 2)); // missing file
  fs.rmSync(L('SN001', 4));
  fs.mkdirSync(L('SN001', 4)); // unreadable (a folder where a file should be)
  fs.writeFileSync(L('SN003', 1), '1,0\n2,x\n3,1\n4,1\n5,1\n6,1\n'); // wrong line format, line 2
  fs.writeFileSync(L('SN003', 2), '1,0\n2,0\n3,9\n4,1\n5,1\n6,1\n'); // intensity outside 0-5, line 3
  fs.writeFileSync(L('SN003', 4), '1,0\n2,0\n3,1\n4,1\n5,1\n6,1\n7,0\n'); // frame-count mismatch
  fs.writeFileSync(L('SN003', 5), '1,0\n2,0\n2,0\n3,1\n4,1\n5,1\n6,1\n'); // duplicate frame, line 3
  fs.rmSync(F('SN006', '00004.png')); // missing frame image
  fs.copyFileSync(F('SN001', '00001.jpg'), F('SN001', '00001.png')); // duplicate frame image
  fs.mkdirSync(path.join(root, 'ActionUnit_Labels/SN014')); // unknown subject
  const p = checkDataset('disfa', root).problems;
  const pick = (code: string) => only(p, code).map((x) => [path.relative(root, x.file), x.line]);
  assert.deepEqual(pick('missing-file'), [['ActionUnit_Labels/SN001/SN001_au2.txt', undefined]]);
  assert.deepEqual(pick('unreadable-file'), [['ActionUnit_Labels/SN001/SN001_au4.txt', undefined]]);
  assert.deepEqual(pick('bad-line'), [['ActionUnit_Labels/SN003/SN003_au1.txt', 2]]);
  assert.deepEqual(pick('intensity-range'), [['ActionUnit_Labels/SN003/SN003_au2.txt', 3]]);
  assert.deepEqual(pick('duplicate-frame'), [
    ['Frames_LeftCamera/SN001/00001.png', undefined],
    ['ActionUnit_Labels/SN003/SN003_au5.txt', 3],
  ]);
  assert.deepEqual(pick('unknown-subject'), [['ActionUnit_Labels/SN014', undefined]]);
  // SN003: au4 has 7 frames where the other 11 files have 6.
  assert.deepEqual(pick('frame-count'), [['ActionUnit_Labels/SN003/SN003_au4.txt', undefined]]);
  assert.deepEqual(pick('missing-frame'), [['Frames_LeftCamera/SN006/00004.jpg', undefined]]);
  assert.equal(p.length, 9);
});

test('extra images beyond the labels are a frame-count problem; an empty fold is reported', () => {
  const root = copyFixture('disfa');
  fs.copyFileSync(path.join(root, 'Frames_LeftCamera/SN001/00001.jpg'), path.join(root, 'Frames_LeftCamera/SN001/00007.jpg'));
  fs.rmSync(path.join(root, 'ActionUnit_Labels/SN006'), { recursive: true });
  fs.rmSync(path.join(root, 'Frames_LeftCamera/SN006'), { recursive: true });
  const r = checkDataset('disfa', root);
  assert.deepEqual(r.problems.map((x) => x.code), ['frame-count', 'empty-fold']);
  assert.equal(r.problems[0].file, path.join(root, 'Frames_LeftCamera/SN001'));
  assert.match(r.problems[0].message, /7 images but the labels have 6 frames/);
  assert.match(r.problems[1].message, /fold 2/);
  assert.deepEqual(r.folds, [['SN003'], [], ['SN001']]);
});

test('a manifest whose layout escapes the dataset root is reported, not followed', () => {
  const dir = tempDir();
  const m = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../data-manifests/disfa.json'), 'utf8'));
  m.layout.framesDir = '../outside/{subject}';
  const mf = path.join(dir, 'disfa.json');
  fs.writeFileSync(mf, JSON.stringify(m));
  const r = checkDataset('disfa', FIX, { manifest: mf });
  const esc = only(r.problems, 'path-escapes-root');
  assert.equal(esc.length, 3);
  assert.equal(esc[0].file, mf);
  assert.match(esc[0].message, /outside the dataset root/);
});

test('--full checks the real dataset counts (27 subjects, 4845 frames, SN010 4844)', () => {
  const r = checkDataset('disfa', FIX, { full: true });
  assert.equal(only(r.problems, 'missing-file').length, 24);
  const fc = only(r.problems, 'frame-count');
  assert.equal(fc.length, 3);
  assert.match(fc[0].message, /SN001 has 6 labelled frames, DISFA has 4845/);
});

test('loadDisfa throws a DatasetError carrying every problem', async () => {
  const root = copyFixture('disfa');
  fs.writeFileSync(path.join(root, 'ActionUnit_Labels/SN001/SN001_au1.txt'), '1,7\n2,1\n3,1\n4,1\n5,1\n6,-1\n');
  await assert.rejects(loadDisfa(root), (err: unknown) => {
    assert.ok(err instanceof DatasetError);
    assert.deepEqual(err.problems.map((p) => [p.code, p.line]), [['intensity-range', 1], ['intensity-range', 6]]);
    assert.match(err.message, /SN001_au1\.txt:1: intensity must be an integer 0-5, got 7/);
    return true;
  });
});

test('fer-au data check --json prints one object with all problems and exits 1; a clean set exits 0', async () => {
  const root = copyFixture('disfa');
  fs.writeFileSync(path.join(root, 'ActionUnit_Labels/SN001/SN001_au1.txt'), '1,7\n2,1\n3,1\n4,1\n5,1\n6,1\n');
  fs.rmSync(path.join(root, 'Frames_LeftCamera/SN003/00002.jpg'));
  // In-process (a CLI spawn costs seconds under ts-node; test/cli covers the binary): stdout captured.
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const capture = async (argv: string[]) => {
    printed.length = 0;
    process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      return await command.run(argv);
    } finally {
      process.stdout.write = write;
    }
  };
  assert.equal(await capture(['check', '--dataset', 'disfa', '--root', root, '--json']), 1);
  const out = JSON.parse(printed.join(''));
  assert.deepEqual(Object.keys(out).slice(0, 8), ['dataset', 'root', 'subjects', 'aus', 'positives', 'threshold', 'folds', 'problems']);
  assert.deepEqual(out.problems.map((p: DataProblem) => p.code), ['intensity-range', 'missing-frame']);
  assert.equal(out.problems[0].line, 1);
  assert.equal(await capture(['check', '--dataset', 'disfa', '--root', FIX]), 0);
  assert.match(printed.join(''), /positives \(intensity >= 2\): AU01 14, AU02 14, AU04 12/);
  assert.match(printed.join(''), /no problems found/);
  await assert.rejects(command.run(['check', '--dataset', 'ck', '--root', FIX]), (e: Error) => e instanceof UsageError && /got 'ck'/.test(e.message));
  await assert.rejects(command.run(['check', '--dataset', 'disfa']), /--root is required/);
  await assert.rejects(command.run(['frobnicate']), /unknown subcommand 'frobnicate' \(valid: check, synth, prepare\)/);
});

test('DISFA frames from a video: a video/label count mismatch is a warning (first min frames), and loadDisfa reads videos only through a prepared set', async (t) => {
  if (!ffmpegAvailable()) {
    t.skip('ffmpeg not installed (apt-get install -y ffmpeg; .ci/run installs it)');
    return;
  }
  const root = copyFixture('disfa');
  const cache = tempDir();
  fs.rmSync(path.join(root, 'Frames_LeftCamera'), { recursive: true });
  fs.mkdirSync(path.join(root, 'Frames_LeftCamera/SN001'), { recursive: true }); // an empty frames folder defers to the video
  fs.mkdirSync(path.join(root, 'Videos_LeftCamera'));
  const makeAvi = (subject: string, frames: number) => {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', String(frames), '-c:v', 'mjpeg', '-y',
      path.join(root, `Videos_LeftCamera/LeftVideo${subject}_comp.avi`)]);
    assert.equal(r.status, 0, String(r.stderr));
  };
  const avi = (s: string) => path.join(root, `Videos_LeftCamera/LeftVideo${s}_comp.avi`);
  makeAvi('SN001', 6);
  fs.copyFileSync(avi('SN001'), avi('SN003'));
  makeAvi('SN006', 5);
  const r = checkDataset('disfa', root);
  assert.deepEqual(r.subjects.find((s) => s.id === 'SN001'), { id: 'SN001', frames: 6, video: 'Videos_LeftCamera/LeftVideoSN001_comp.avi', videoFrames: 6 });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.warnings!.map((p) => [p.code, path.relative(root, p.file)]), [['frame-count', 'Videos_LeftCamera/LeftVideoSN006_comp.avi']]);
  assert.match(r.warnings![0].message, /SN006: video has 5 frames, the labels 6: using the first 5/);
  // the strict check of a complete copy keeps it a problem
  assert.ok(checkDataset('disfa', root, { full: true }).problems.some((p) => p.code === 'frame-count' && /video has 5 frames, the labels 6/.test(p.message)));
  const scanned = scanDisfa(root);
  assert.equal(scanned.frames.filter((f) => f.subject === 'SN006').length, 5);
  await assert.rejects(loadDisfa(root, { cacheDir: cache, prepare: false }), /not prepared; run `fer-au data prepare --dataset disfa --root /);
  assert.deepEqual(fs.readdirSync(cache), []); // nothing decoded to disk
});
