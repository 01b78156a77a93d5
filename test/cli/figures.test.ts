/** `fer-au figures` as a user runs it: what it records in the committed REPORT.md. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { absolutePathsInText } from '../../lib/results/portable';

const bin = path.resolve(__dirname, '..', '..', 'bin', 'fer-au.js');

test('fer-au figures records its command in REPORT.md with path arguments relative to the working folder', () => {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-figures-')));
  try {
    const results = path.join(tmp, 'results');
    fs.mkdirSync(results);
    // No results files: nothing is trained or drawn, only REPORT.md is written.
    const r = spawnSync(process.execPath, [bin, 'figures', '--results', results, '--no-throughput', '--formats', 'html'], { cwd: tmp, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const md = fs.readFileSync(path.join(results, 'REPORT.md'), 'utf8');
    assert.match(md, /Built by `fer-au figures --results results --no-throughput --formats html`/);
    assert.deepEqual(absolutePathsInText(md), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
