import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { absolutePathsInJson, absolutePathsInText, isAbsolutePathString, portableCommand } from '../../lib/results/portable';

const RESULTS = path.join(__dirname, '..', '..', 'results');

test('absolute paths are recognised in JSON values and in text; relative paths, ids and fractions are not', () => {
  for (const s of ['/work/main/.cache/x', '/home/u/DISFA', 'C:\\data\\DISFA', 'c:/data', '\\\\nas\\share', 'file:///tmp/a', '~/DISFA']) assert.ok(isAbsolutePathString(s), s);
  for (const s of ['embedded', '.cache/fer-au/synthetic/bb12', 'quick-mobilenet_v1-bce-fold1', '1/2', '/', 'sha256:ab/cd', 'AU01']) assert.ok(!isAbsolutePathString(s), s);
  assert.deepEqual(absolutePathsInJson({ data: { root: '/work/x/y', dataset: 'disfa' }, list: ['a', 'D:\\w'] }), [
    { field: 'data.root', value: '/work/x/y' },
    { field: 'list[1]', value: 'D:\\w' },
  ]);
  assert.deepEqual(absolutePathsInText('see ![f](figures/a.png) and <script src="../../node_modules/plotly.js"> from /home/u/repo/x.json.'), ['/home/u/repo/x.json.']);
  assert.deepEqual(absolutePathsInText('error at C:\\Users\\me\\a.node'), ['C:\\Users\\me\\a.node']);
});

/**
 * Results files written before run ids carried a hash of the portable config (lib/train run_id: `...-<10 hex>`)
 * stored the machine's data root; they are reported, not checked, until regenerated.
 */
const legacyRunId = (id: unknown) => typeof id !== 'string' || !/-[0-9a-f]{10}$/.test(id);

test('committed results files, REPORT.md and figures hold no absolute path', (t) => {
  const problems: string[] = [];
  const legacy: string[] = [];
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  // results/bench/ records benchmark runs (their error messages are quoted as the backend printed them): not scanned.
  // results/notebooks/ holds executed notebooks and exports, git-ignored.
  const files = walk(RESULTS).filter((f) => !/^(bench|notebooks)[\\/]/.test(path.relative(RESULTS, f)));
  let checked = 0;
  for (const f of files) {
    const rel = path.relative(RESULTS, f);
    if (f.endsWith('.json')) {
      const v = JSON.parse(fs.readFileSync(f, 'utf8')) as { schemaVersion?: number; meta?: { runId?: string } };
      if (v.schemaVersion !== undefined && legacyRunId(v.meta?.runId)) {
        legacy.push(rel);
        continue;
      }
      problems.push(...absolutePathsInJson(v).map((p) => `${rel}: ${p.field} = ${p.value}`));
      checked++;
    } else if (/\.(md|html|svg|csv|txt)$/.test(f)) {
      problems.push(...absolutePathsInText(fs.readFileSync(f, 'utf8')).map((p) => `${rel}: ${p}`));
      checked++;
    }
  }
  if (legacy.length) t.diagnostic(`${legacy.length} results files predate portable run ids and are not checked until regenerated: ${legacy.join(', ')}`);
  assert.ok(checked > 0, 'nothing checked under results/');
  assert.deepEqual(problems, []);
});

test('portableCommand makes absolute path arguments relative to the working folder', () => {
  const cwd = path.resolve('/repo');
  assert.equal(portableCommand(['fer-au', 'figures', '--results', path.join(cwd, 'results'), '--folds', '1,2'], cwd), 'fer-au figures --results results --folds 1,2');
  assert.equal(portableCommand(['fer-au', 'figures', '--out', cwd], cwd), 'fer-au figures --out .');
});
