import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createCanvas } from '@napi-rs/canvas';
import { FaceDetector } from '../../lib/data/align';
import { decodeImage } from '../../lib/data/image';
import { expandInputs, frameFaces, loadPredictor, predictFiles, predictionRecords, predictionsCsv, type PredictionRow } from '../../lib/train/predict';
import { buildAuModel, saveAuModel } from '../../lib/models';

test('expandInputs lists a folder\'s images and videos sorted, and rejects unknown types naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-predict-'));
  for (const f of ['b.png', 'a.jpg', 'notes.txt', 'c.avi']) fs.writeFileSync(path.join(dir, f), '');
  assert.deepEqual(expandInputs([dir]).map((f) => path.basename(f)), ['a.jpg', 'b.png', 'c.avi']);
  assert.throws(() => expandInputs([path.join(dir, 'notes.txt')]), /notes\.txt: unsupported file type '\.txt'/);
  assert.throws(() => expandInputs([path.join(dir, 'missing.jpg')]), /missing\.jpg: no such file or directory/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('prediction CSV and JSON: one row per face with its box and detection score, empty cells without a face', () => {
  const rows: PredictionRow[] = [
    { file: '/x/v.avi', frame: 1, face: 1, box: { x: 10.04, y: 20, width: 30.56, height: 40 }, detectionScore: 0.98765, scores: { AU01: 0.25, AU12: 0.00075 }, present: { AU01: false, AU12: true } },
    { file: '/x/v.avi', frame: 2, face: 0, box: null, detectionScore: null, scores: null, present: null },
  ];
  const csv = predictionsCsv(rows, ['AU01', 'AU12']);
  assert.equal(
    csv,
    'file,frame,face,box_x,box_y,box_width,box_height,detection_score,AU01_score,AU12_score,AU01,AU12\n' +
      '"/x/v.avi",1,1,10,20,30.6,40,0.9877,0.250000,0.000750000,0,1\n"/x/v.avi",2,0,,,,,,,,,\n',
  );
  const json = predictionRecords(rows, ['AU01', 'AU12']);
  assert.deepEqual(Object.keys(json[0]), csv.split('\n')[0].split(','));
  assert.deepEqual(json[1], { file: '/x/v.avi', frame: 2, face: 0, box_x: null, box_y: null, box_width: null, box_height: null, detection_score: null, AU01_score: null, AU12_score: null, AU01: null, AU12: null });
});

test('predict on face-api\'s sample1.jpg (three people) writes three face rows with boxes; a faceless image writes face=0', async () => {
  await tf.setBackend('wasm');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-predict-'));
  const m = await buildAuModel({ backbone: 'mobilenet_v1', inputSize: 64, aus: ['AU01', 'AU12'], weights: null, seed: 3 });
  await saveAuModel(m, path.join(dir, 'model'));
  const blank = createCanvas(200, 150);
  blank.getContext('2d').fillStyle = '#7a7a7a';
  blank.getContext('2d').fillRect(0, 0, 200, 150);
  fs.writeFileSync(path.join(dir, 'blank.png'), blank.encodeSync('png'));
  const sample1 = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', 'sample1.jpg');
  const p = await loadPredictor(path.join(dir, 'model'));
  const rows = await predictFiles(p, [sample1, path.join(dir, 'blank.png')], { cacheDir: dir });
  assert.deepEqual(rows.map((r) => [path.basename(r.file), r.face]), [['sample1.jpg', 1], ['sample1.jpg', 2], ['sample1.jpg', 3], ['blank.png', 0]]);
  // faces numbered left to right, boxes inside the 1920 x 1280 photo, scores in (0, 1)
  const faces = rows.slice(0, 3);
  for (let k = 0; k < 3; k++) {
    const b = faces[k].box!;
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= 1920 && b.y + b.height <= 1280 && b.width > 100, JSON.stringify(b));
    if (k > 0) assert.ok(b.x > faces[k - 1].box!.x);
    assert.ok(faces[k].detectionScore! >= 0.5 && faces[k].detectionScore! <= 1);
    for (const v of Object.values(faces[k].scores!)) assert.ok(v > 0 && v < 1);
  }
  // three different faces give three different aligned crops at the model's input size
  const crops = await frameFaces(await decodeImage(sample1), 64, await FaceDetector.load());
  assert.equal(crops.length, 3);
  for (const c of crops) assert.equal(c.rgb.length, 64 * 64 * 3);
  assert.notDeepEqual(crops[0].rgb, crops[1].rgb);
  assert.deepEqual(crops.map((c) => c.box), faces.map((f) => f.box));
  assert.equal(rows[3].scores, null);
  assert.equal(rows[3].box, null);
  fs.rmSync(dir, { recursive: true, force: true });
});
