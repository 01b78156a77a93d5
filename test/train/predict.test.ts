import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expandInputs, predictionsCsv } from '../../lib/train/predict';

test('expandInputs lists a folder\'s images and videos sorted, and rejects unknown types naming the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-predict-'));
  for (const f of ['b.png', 'a.jpg', 'notes.txt', 'c.avi']) fs.writeFileSync(path.join(dir, f), '');
  assert.deepEqual(expandInputs([dir]).map((f) => path.basename(f)), ['a.jpg', 'b.png', 'c.avi']);
  assert.throws(() => expandInputs([path.join(dir, 'notes.txt')]), /notes\.txt: unsupported file type '\.txt'/);
  assert.throws(() => expandInputs([path.join(dir, 'missing.jpg')]), /missing\.jpg: no such file or directory/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('prediction CSV has one row per frame, scores and 0/1 presence, empty cells without a face', () => {
  const csv = predictionsCsv(
    [
      { file: '/x/v.avi', frame: 1, face: true, scores: { AU01: 0.25, AU12: 0.75 }, present: { AU01: false, AU12: true } },
      { file: '/x/v.avi', frame: 2, face: false, scores: null, present: null },
    ],
    ['AU01', 'AU12'],
  );
  assert.equal(csv, 'file,frame,face,AU01_score,AU12_score,AU01,AU12\n"/x/v.avi",1,1,0.250000,0.750000,0,1\n"/x/v.avi",2,0,,,,\n');
});
