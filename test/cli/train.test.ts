import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planTrain } from '../../lib/commands/train';
import { readResults, type ResultsFile } from '../../lib/results';
import { runId as makeRunId } from '../../lib/train/run_id';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'fer-au.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-cli-train-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, FER_CACHE_DIR: path.join(tmp, 'cache') };

// tiny, with a few more epochs so that a kill after the first checkpoint lands before the end
const configFile = path.join(tmp, 'tiny-resume.json');
fs.writeFileSync(configFile, JSON.stringify({ extends: 'tiny', name: 'resume', loss: 'pr', stage1: { epochs: 4 }, stage2: { epochs: 3 } }));
const runId = makeRunId(planTrain(['--config', configFile]).runs[0]);

/** Runs the CLI; with `killOn`, SIGKILLs it as soon as a stderr line matches and reports the kill. */
function runCli(args: string[], killOn?: RegExp): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: repo, env });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (killOn && killOn.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

/** What must be identical between an interrupted-and-resumed run and an uninterrupted one. */
function outcome(r: ResultsFile) {
  return {
    history: [...r.history.stage1, ...r.history.stage2].map(({ seconds: _s, ...rest }) => rest),
    metrics: r.metrics,
    curves: r.curves,
    data: r.data,
    config: r.config,
  };
}

test('bad train arguments are one-line usage errors (exit 2) naming the problem', () => {
  const cases: [string[], RegExp][] = [
    [['--preset', 'huge'], /--preset: unknown preset 'huge' \(valid: paper, quick, tiny\)/],
    [['--preset', 'tiny', '--config', configFile], /exactly one of --preset NAME or --config FILE/],
    [['--preset', 'tiny', '--shard', '3/3'], /i must be in \[0, n-1\]/],
    [['--preset', 'tiny', '--loss', 'hinge'], /--loss: unknown value 'hinge'/],
  ];
  for (const [args, re] of cases) assert.throws(() => planTrain(args), re);
  const r = spawnSync(process.execPath, [bin, 'train', '--preset', 'tiny', '--fold', '4'], { cwd: repo, env, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^fer-au train: --fold: unknown value '4'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('--shard i/n splits a backbone x loss x fold sweep into disjoint shares covering it', () => {
  const all = planTrain(['--preset', 'tiny', '--loss', 'bce,lsep,pr', '--fold', 'all']);
  assert.equal(all.runs.length, 9);
  const shares = [0, 1, 2].map((i) => planTrain(['--preset', 'tiny', '--loss', 'bce,lsep,pr', '--fold', 'all', '--shard', `${i}/3`]).runs);
  const ids = shares.flat().map((c) => `${c.loss}-${c.fold}`);
  assert.equal(new Set(ids).size, 9);
  assert.deepEqual(shares.map((s) => s.length), [3, 3, 3]);
});

test('--seed takes a list: every config runs once per seed, with distinct run ids', () => {
  const plan = planTrain(['--preset', 'tiny', '--fold', 'all', '--seed', '1,2,3']);
  assert.equal(plan.runs.length, 9);
  assert.deepEqual(plan.runs.map((c) => `${c.seed}/${c.fold}`), ['1/1', '1/2', '1/3', '2/1', '2/2', '2/3', '3/1', '3/2', '3/3']);
  assert.equal(new Set(plan.runs.map(makeRunId)).size, 9);
  assert.deepEqual(planTrain(['--preset', 'tiny', '--seed', '7']).runs.map((c) => c.seed), [7]);
  assert.throws(() => planTrain(['--preset', 'tiny', '--seed', '1,x']), /--seed: each seed must be an integer in \[0, 2\^32 - 1\], got 'x'/);
  assert.throws(() => planTrain(['--preset', 'tiny', '--seed', '2,2']), /--seed: repeated seed/);
});

test('two runs differing only in data root or input size get different ids and run directories', () => {
  const a = planTrain(['--preset', 'tiny', '--data-root', tmp]).runs[0];
  const b = planTrain(['--preset', 'tiny']).runs[0];
  const c = planTrain(['--config', configFile]).runs[0];
  const d = { ...c, inputSize: 64 };
  assert.notEqual(makeRunId(a), makeRunId(b));
  assert.notEqual(makeRunId(c), makeRunId(d));
});

test('a run killed with SIGKILL and resumed (twice) ends with the same metrics as an uninterrupted run; eval and predict reload its model', async () => {
  const full = await runCli(['train', '--config', configFile, '--out', path.join(tmp, 'a'), '--progress', 'plain']);
  assert.equal(full.code, 0, full.stderr);
  const expected = readResults(path.join(tmp, 'a', runId, 'results.json'));

  const out = path.join(tmp, 'b');
  const runDir = path.join(out, runId);
  const k1 = await runCli(['train', '--config', configFile, '--out', out, '--progress', 'plain'], /checkpoint: stage 1 epoch 1 /);
  assert.equal(k1.signal, 'SIGKILL');
  assert.ok(fs.existsSync(path.join(runDir, 'checkpoint.json')), 'no checkpoint after the first kill');
  assert.ok(!fs.existsSync(path.join(runDir, 'results.json')), 'the first kill came too late: the run had finished');
  const k2 = await runCli(['train', '--config', configFile, '--out', out, '--resume', '--progress', 'plain'], /checkpoint: stage 2 epoch \d /);
  assert.equal(k2.signal, 'SIGKILL');
  assert.match(k2.stderr, /resume: stage 1 epoch \d/);
  assert.ok(!fs.existsSync(path.join(runDir, 'results.json')), 'the second kill came too late: the run had finished');
  const done = await runCli(['train', '--config', configFile, '--out', out, '--resume', '--progress', 'plain']);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /resume: stage 2 epoch \d/);
  const resumed = readResults(path.join(runDir, 'results.json'));
  assert.deepEqual(outcome(resumed), outcome(expected));

  // eval --run: the saved model, reloaded, gives the run's metrics again
  const ev = spawnSync(process.execPath, [bin, 'eval', '--run', runDir, '--json'], { cwd: repo, env, encoding: 'utf8' });
  assert.equal(ev.status, 0, ev.stderr);
  const evMetrics = (JSON.parse(ev.stdout) as { metrics: ResultsFile['metrics'] }).metrics;
  assert.equal(evMetrics.meanF1, resumed.metrics.meanF1);
  assert.deepEqual(evMetrics.perAu, resumed.metrics.perAu);

  // predict: the saved model scores the test frames exactly as the evaluation did
  const csv = fs.readFileSync(path.join(runDir, 'test-scores.csv'), 'utf8').trim().split('\n');
  const head = csv[0].split(',');
  const rows = csv.slice(1, 6).map((l) => l.split(','));
  const images = rows.map((r) => JSON.parse(r[2]) as string);
  const pred = spawnSync(process.execPath, [bin, 'predict', '--model', runDir, '--no-align', '--format', 'json', ...images], { cwd: repo, env, encoding: 'utf8' });
  assert.equal(pred.status, 0, pred.stderr);
  // rows as lib/train/predict_rows predictionRecords: file, frame, face, ..., AUxx_score, AUxx (0/1)
  const got = JSON.parse(pred.stdout) as { rows: Record<string, string | number | null>[] };
  assert.equal(got.rows.length, images.length);
  got.rows.forEach((row, i) => {
    assert.equal(row.file, images[i]);
    for (const au of ['AU01', 'AU12', 'AU25']) {
      const expectedScore = Number(rows[i][head.indexOf(`${au}_score`)]);
      const score = row[`${au}_score`] as number;
      assert.ok(Math.abs(score - expectedScore) < 1e-5, `${images[i]} ${au}: predict ${score} vs evaluation ${expectedScore}`);
      assert.equal(row[au], score >= 0.5 ? 1 : 0);
    }
  });
});
