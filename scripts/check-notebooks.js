#!/usr/bin/env node
// Checks that committed notebooks (notebooks/*.ipynb) carry no outputs and no execution counts, use the repo's
// kernelspec (fer-au-tslab), and parse as nbformat 4. Executed copies belong in results/notebooks/ (git-ignored).
// Usage: node scripts/check-notebooks.js [--strip] [FILES...]   (--strip rewrites offending notebooks in place)
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const KERNEL = 'fer-au-tslab';

/** Problems of one notebook's JSON text, as 'file: cell N: ...' lines. */
function checkNotebook(file, text) {
  const problems = [];
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    return [`${file}: invalid JSON (${err.message})`];
  }
  if (nb.nbformat !== 4) problems.push(`${file}: nbformat must be 4, got ${JSON.stringify(nb.nbformat)}`);
  const ks = nb.metadata && nb.metadata.kernelspec;
  if (!ks || ks.name !== KERNEL) problems.push(`${file}: metadata.kernelspec.name must be '${KERNEL}', got ${JSON.stringify(ks && ks.name)}`);
  if (!Array.isArray(nb.cells)) return [...problems, `${file}: cells must be a list`];
  nb.cells.forEach((cell, i) => {
    const at = `${file}: cell ${i + 1} (${cell.cell_type})`;
    if (cell.cell_type === 'code') {
      if (!Array.isArray(cell.outputs) || cell.outputs.length > 0) problems.push(`${at}: has ${Array.isArray(cell.outputs) ? cell.outputs.length : 'no'} outputs (strip them)`);
      if (cell.execution_count !== null) problems.push(`${at}: execution_count is ${JSON.stringify(cell.execution_count)}, must be null`);
    }
    if (cell.metadata && (cell.metadata.execution || cell.metadata.ExecuteTime)) problems.push(`${at}: carries execution timing metadata`);
  });
  if (nb.metadata && nb.metadata.widgets) problems.push(`${file}: carries widget state in metadata.widgets`);
  return problems;
}

/** The notebook with outputs, execution counts and timing metadata removed. */
function stripNotebook(nb) {
  for (const cell of nb.cells) {
    if (cell.cell_type === 'code') {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.ExecuteTime;
    }
  }
  if (nb.metadata) delete nb.metadata.widgets;
  return nb;
}

function notebookFiles(dir = path.join(root, 'notebooks')) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
}

function main(argv) {
  const strip = argv.includes('--strip');
  const files = argv.filter((a) => !a.startsWith('--'));
  const targets = files.length ? files.map((f) => path.resolve(f)) : notebookFiles();
  let bad = 0;
  for (const file of targets) {
    const rel = path.relative(root, file);
    const text = fs.readFileSync(file, 'utf8');
    const problems = checkNotebook(rel, text);
    if (problems.length && strip) {
      fs.writeFileSync(file, JSON.stringify(stripNotebook(JSON.parse(text)), null, 1) + '\n');
      process.stdout.write(`stripped ${rel}\n`);
      continue;
    }
    for (const p of problems) process.stderr.write(p + '\n');
    bad += problems.length;
  }
  if (bad) {
    process.stderr.write(`check-notebooks: ${bad} problem(s); run node scripts/check-notebooks.js --strip\n`);
    return 1;
  }
  process.stdout.write(`check-notebooks: ${targets.length} notebook(s) clean\n`);
  return 0;
}

module.exports = { checkNotebook, stripNotebook, notebookFiles, KERNEL };
if (require.main === module) process.exit(main(process.argv.slice(2)));
