/**
 * Executes every notebook headlessly on the repo's tslab kernelspec (scripts/notebooks.js: nbconvert, never
 * --allow-errors) so a notebook that breaks fails `npm test`. Needs Debian's jupyter-nbconvert, python3-nbclient and
 * python3-ipykernel (.ci/run installs them). Locally without Jupyter the tests are skipped with that message;
 * under CI (CI=true) a missing Jupyter is a failure, not a skip.
 * Notebooks reuse the results committed in results/ when their configs match, so this takes minutes, not hours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

const root = path.join(__dirname, '..', '..');
const notebooks = fs
  .readdirSync(path.join(root, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
const hasJupyter = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI === 'true' || process.env.CI === '1';
const skip = !hasJupyter && !inCi ? 'jupyter nbconvert not installed (apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel)' : false;

test('the research notebooks are present (00-04, and 05 on real faces)', () => {
  assert.deepEqual(notebooks.map((f) => f.slice(0, 3)), ['00-', '01-', '02-', '03-', '04-', '05-']);
});

for (const nb of notebooks) {
  test(`notebook ${nb} executes without a cell error`, { skip, timeout: 20 * 60 * 1000 }, () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'notebooks.js'), path.join('notebooks', nb)], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, `${nb}:\n${(r.stdout || '').slice(-2000)}\n${(r.stderr || '').slice(-4000)}`);
  });
}
