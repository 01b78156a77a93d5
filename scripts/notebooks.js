#!/usr/bin/env node
// Executes every notebook headlessly on the repo's tslab kernelspec (kernel/kernels/fer-au-tslab, found through
// JUPYTER_PATH=kernel) with nbconvert, writing the executed copies to results/notebooks/ (git-ignored).
// Fails on the first cell error: never --allow-errors (with tslab it would hide failures).
// Needs Debian's jupyter-nbconvert, python3-nbclient and python3-ipykernel.
// Usage: npm run notebooks [-- notebooks/01-backbone-survey.ipynb ...] [-- --timeout 900]
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { notebookFiles } = require('./check-notebooks');

const root = path.join(__dirname, '..');
const args = process.argv.slice(2);
let timeout = 1200;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--timeout') timeout = Number(args[++i]);
  else files.push(path.resolve(args[i]));
}
if (!Number.isFinite(timeout) || timeout <= 0) {
  console.error('notebooks: --timeout takes seconds per cell');
  process.exit(2);
}
const jupyter = ['/usr/bin/jupyter', 'jupyter'].find((j) => j === 'jupyter' || fs.existsSync(j));
const probe = spawnSync(jupyter, ['nbconvert', '--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.error('notebooks: jupyter nbconvert not found (apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel)');
  process.exit(1);
}
const outDir = path.join(root, 'results', 'notebooks');
fs.mkdirSync(outDir, { recursive: true });
const env = { ...process.env, JUPYTER_PATH: path.join(root, 'kernel') + (process.env.JUPYTER_PATH ? path.delimiter + process.env.JUPYTER_PATH : '') };
const targets = files.length ? files : notebookFiles();
let failed = 0;
for (const nb of targets) {
  const rel = path.relative(root, nb);
  const t0 = Date.now();
  process.stdout.write(`notebooks: ${rel} ...\n`);
  const r = spawnSync(
    jupyter,
    ['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${timeout}`,
      '--ExecutePreprocessor.kernel_name=fer-au-tslab', '--output-dir', outDir, nb],
    { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`notebooks: ${rel} FAILED after ${secs} s\n${(r.stderr || '').split('\n').slice(-60).join('\n')}\n`);
  } else {
    process.stdout.write(`notebooks: ${rel} ok in ${secs} s -> ${path.relative(root, path.join(outDir, path.basename(nb)))}\n`);
  }
}
process.exit(failed ? 1 : 0);
