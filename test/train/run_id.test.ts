import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PRESETS } from '../../lib/train/presets';
import { dataRootRef, normalisePath, pathRef, portableConfig, runHash, runId, runIdPrefix, weightsRef } from '../../lib/train/run_id';
import { canonicalJson } from '../../lib/results/canonical';
import type { ExperimentConfig } from '../../lib/train/config';
import { SYNTHETIC_VERSION } from '../../lib/data/synthetic/writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-run-id-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

test('a run id is the readable prefix plus 10 hex digits of sha256 of the task-free config (and the synthetic set version)', () => {
  const c = PRESETS.quick;
  assert.equal(runIdPrefix(c), 'quick-mobilenet_v1-bce-weighted-fold1-seed1-128px');
  const { task: _t, ...rest } = structuredClone(c);
  const expected = createHash('sha256').update(canonicalJson({ runIdVersion: 2, config: rest, syntheticVersion: SYNTHETIC_VERSION })).digest('hex').slice(0, 10);
  assert.equal(runHash(c), expected);
  assert.equal(runId(c), `quick-mobilenet_v1-bce-weighted-fold1-seed1-128px-${expected}`);
  assert.match(runId(c), /-[0-9a-f]{10}$/);
});

test('runs differing only in data root, input size, weights file or any setting get different ids; task does not count', () => {
  const base = structuredClone(PRESETS.quick);
  const variants: ExperimentConfig[] = [
    { ...base, dataset: { ...base.dataset, root: path.join(tmp, 'disfa-a') } },
    { ...base, dataset: { ...base.dataset, root: path.join(tmp, 'disfa-b') } },
    { ...base, inputSize: 96 },
    { ...base, weights: path.join(tmp, 'mobilenet.h5') },
    { ...base, stage2: { ...base.stage2, headBatchNorm: 'recalibrate' } },
    { ...base, dataset: { ...base.dataset, synthetic: { ...base.dataset.synthetic, frames: 65 } } },
    base,
  ];
  const ids = variants.map(runId);
  assert.equal(new Set(ids).size, variants.length, ids.join('\n'));
  assert.equal(runId({ ...base, task: 'backbone-survey' }), runId(base));
  // a data root differing only by a trailing slash or a relative spelling is the same root
  const rel = path.relative(process.cwd(), path.join(tmp, 'disfa-a'));
  assert.equal(runId({ ...base, dataset: { ...base.dataset, root: `${rel}/` } }), ids[0]);
});

test('path references hash the normalised absolute path, follow symlinks, and pass references through', () => {
  const real = path.join(tmp, 'real');
  fs.mkdirSync(real);
  fs.symlinkSync(real, path.join(tmp, 'link'));
  assert.equal(normalisePath(path.join(tmp, 'link') + path.sep), fs.realpathSync(real));
  const ref = pathRef(path.join(tmp, 'link'));
  assert.equal(ref, `path-sha256:${createHash('sha256').update(fs.realpathSync(real)).digest('hex').slice(0, 16)}`);
  assert.equal(pathRef(real), ref);
  assert.equal(pathRef(ref), ref);
  assert.equal(dataRootRef(null), 'embedded');
  assert.equal(weightsRef(null), 'random');
  assert.equal(weightsRef('embedded'), 'embedded');
  assert.equal(weightsRef(real), ref);
});

test('the portable config holds no machine path and keeps the id of the run', () => {
  const c: ExperimentConfig = { ...structuredClone(PRESETS.quick), dataset: { ...PRESETS.quick.dataset, root: path.join(tmp, 'real') }, weights: path.join(tmp, 'w.h5') };
  const p = portableConfig(c);
  const text = JSON.stringify(p);
  assert.ok(!text.includes(tmp), text);
  assert.match(p.dataset.root!, /^path-sha256:[0-9a-f]{16}$/);
  assert.match(p.weights!, /^path-sha256:[0-9a-f]{16}$/);
  assert.equal(runId(p), runId(c));
  assert.deepEqual(portableConfig(p), p);
  assert.equal(c.dataset.root, path.join(tmp, 'real'), 'portableConfig must not change its input');
});
