/** `fer-au predict`: AU scores and presence for images, folders of images, and videos (one row per face). */
import { parseCommandArgs } from './args';
import { Command, UsageError } from './types';
import { exitWhenDone } from './train';

const USAGE = `usage: fer-au predict --model DIR [options] IMAGE|DIR|VIDEO...

Scores every face in every image (or video frame) with a trained model: one CSV or JSON row per face with
file, frame, face (1-based, left to right), box_x, box_y, box_width, box_height (pixels), detection_score, then
each AU's sigmoid score (AUxx_score) and its presence (AUxx: score >= threshold). Faces are aligned as the
training crops were framed (face detection + 68 landmarks, eye similarity); a frame without a face gets one row
with face=0 and empty scores.

options:
  --model DIR          a run directory (from fer-au train) or a saved model directory (fer-au.json)
  --threshold T        a number in (0, 1), or 'tuned' for the run's thresholds tuned on validation (default 0.5)
  --format csv|json    output format (default csv)
  --out FILE           write to FILE instead of stdout
  --no-align           inputs already are aligned square face crops (e.g. synthetic DISFA frames): one face each
  --min-score S        minimum face detection score in (0, 1) (default 0.5)
  --batch N            images per forward pass (default 32)
`;

export const command: Command = {
  name: 'predict',
  summary: 'AU scores and presence for every face in images or video frames (CSV or JSON, one row a face)',
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        model: { type: 'string' },
        threshold: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'no-align': { type: 'boolean' },
        batch: { type: 'string' },
        'min-score': { type: 'string' },
      },
      { allowPositionals: true },
    );
    if (values.model === undefined) throw new UsageError('--model DIR is required');
    if (!positionals.length) throw new UsageError('give at least one IMAGE, folder or VIDEO');
    const format = String(values.format ?? 'csv');
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, got '${format}'`);
    let threshold: number | 'tuned' = 0.5;
    if (values.threshold !== undefined) {
      const t = String(values.threshold);
      if (t === 'tuned') threshold = 'tuned';
      else if (/^(0?\.\d+|0|1(\.0*)?)$/.test(t) && Number(t) > 0 && Number(t) < 1) threshold = Number(t);
      else throw new UsageError(`--threshold must be a number in (0, 1) or 'tuned', got '${t}'`);
    }
    let batch = 32;
    if (values.batch !== undefined) {
      if (!/^\d+$/.test(String(values.batch)) || Number(values.batch) < 1) throw new UsageError(`--batch must be a positive integer, got '${values.batch}'`);
      batch = Number(values.batch);
    }
    let minConfidence = 0.5;
    if (values['min-score'] !== undefined) {
      minConfidence = Number(values['min-score']);
      if (!(minConfidence > 0 && minConfidence < 1)) throw new UsageError(`--min-score must be a number in (0, 1), got '${values['min-score']}'`);
    }
    const { expandInputs, loadPredictor, predictFiles, predictionRecords, predictionsCsv } = require('../train/predict') as typeof import('../train/predict');
    const { disposeAuModel } = require('../train/two_stage') as typeof import('../train/two_stage');
    try {
      expandInputs(positionals);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { initBackend } = require('../backend') as typeof import('../backend');
    await initBackend();
    const p = await loadPredictor(String(values.model), threshold);
    const rows = await predictFiles(p, positionals, { align: !values['no-align'], batchSize: batch, detector: { minConfidence } });
    const json = { model: String(values.model), aus: p.aus, thresholds: p.thresholds, thresholdSource: p.thresholdSource, rows: predictionRecords(rows, p.aus) };
    const text = format === 'csv' ? predictionsCsv(rows, p.aus) : JSON.stringify(json, null, 2) + '\n';
    if (values.out !== undefined) {
      const { writeFileAtomic } = require('../util/fs') as typeof import('../util/fs');
      writeFileAtomic(String(values.out), text);
      process.stderr.write(`fer-au predict: ${rows.length} rows (${rows.filter((r) => r.face > 0).length} faces, ${rows.filter((r) => r.face === 0).length} frames without a face) -> ${values.out}\n`);
    } else {
      process.stdout.write(text);
    }
    disposeAuModel(p.model);
    exitWhenDone();
    return 0;
  },
};
