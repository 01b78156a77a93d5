import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listResults } from '../../lib/results/io';

test('listResults lists run results and skips bench/ and tuning/, whose files also carry a schemaVersion', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-au-list-'));
  try {
    const put = (rel: string, v: unknown) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), typeof v === 'string' ? v : JSON.stringify(v));
    };
    put('transfer-stages/run-b.json', { schemaVersion: 2 });
    put('loss-comparison/run-a.json', { schemaVersion: 2 });
    put('bench/2026-11-28-82ade7d-paired.json', { schemaVersion: 1, meta: { command: 'fer-au bench' } });
    put('tuning/stage2-search.json', { schemaVersion: 1 });
    put('figures/throughput.json', { inputSize: 128 });
    put('real-faces/notes.json', 'not json');
    assert.deepEqual(listResults(dir).map((f) => path.relative(dir, f)), ['loss-comparison/run-a.json', 'transfer-stages/run-b.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
