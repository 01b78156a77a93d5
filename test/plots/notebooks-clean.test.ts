import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';

// scripts/check-notebooks.js is plain CommonJS shared with `npm run notebooks`.
const check = require('../../scripts/check-notebooks.js') as {
  checkNotebook(file: string, text: string): string[];
  stripNotebook(nb: unknown): unknown;
  notebookFiles(): string[];
  KERNEL: string;
};

const clean = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'fer-au-tslab', display_name: 'TypeScript (fer-au)', language: 'typescript' } },
  cells: [
    { cell_type: 'markdown', metadata: {}, source: '# x' },
    { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: '1' },
  ],
};

test('every committed notebook has no outputs, no execution counts and the repo kernelspec', () => {
  const files = check.notebookFiles();
  assert.ok(files.length >= 5, `expected the five notebooks in notebooks/, found ${files.length}`);
  const problems = files.flatMap((f) => check.checkNotebook(path.relative(process.cwd(), f), fs.readFileSync(f, 'utf8')));
  assert.deepEqual(problems, []);
});

test('the notebook check flags outputs and execution counts, naming the cell', () => {
  assert.deepEqual(check.checkNotebook('a.ipynb', JSON.stringify(clean)), []);
  const dirty = JSON.parse(JSON.stringify(clean)) as { cells: Record<string, unknown>[] };
  dirty.cells[1].execution_count = 3;
  dirty.cells[1].outputs = [{ output_type: 'stream', name: 'stdout', text: 'x' }];
  assert.deepEqual(check.checkNotebook('a.ipynb', JSON.stringify(dirty)), [
    'a.ipynb: cell 2 (code): has 1 outputs (strip them)',
    'a.ipynb: cell 2 (code): execution_count is 3, must be null',
  ]);
  assert.deepEqual(check.checkNotebook('a.ipynb', JSON.stringify(check.stripNotebook(dirty))), []);
});

test('the notebook check flags a foreign kernelspec', () => {
  const other = { ...clean, metadata: { kernelspec: { name: 'tslab' } } };
  assert.deepEqual(check.checkNotebook('b.ipynb', JSON.stringify(other)), ["b.ipynb: metadata.kernelspec.name must be 'fer-au-tslab', got \"tslab\""]);
});

test('the repo kernelspec is path-free and launches the repository tslab', () => {
  const dir = path.join(__dirname, '..', '..', 'kernel', 'kernels', check.KERNEL);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8')) as { argv: string[]; language: string };
  assert.deepEqual(spec.argv, ['node', '{resource_dir}/launch.js', '{connection_file}']);
  assert.equal(spec.language, 'typescript');
  assert.ok(fs.existsSync(path.join(dir, 'launch.js')));
});
