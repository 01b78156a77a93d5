import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { rocAuc } from '../../lib/metrics';

interface Case {
  name: string;
  labels: number[];
  scores: number[];
  auc: number | null;
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'metrics', 'roc_auc.json'), 'utf8')) as { sklearn: string; cases: Case[] };

test('rocAuc equals scikit-learn roc_auc_score on fixtures with ties, perfect and reversed rankings, one class (scripts/fixtures/roc_auc.py)', () => {
  assert.ok(fixture.cases.length >= 10);
  for (const c of fixture.cases) {
    const got = rocAuc(c.labels, c.scores);
    if (c.auc === null) assert.equal(got, null, c.name);
    else assert.ok(got !== null && Math.abs(got - c.auc) < 1e-12, `${c.name}: ${got} vs sklearn ${c.auc}`);
  }
});

test('rocAuc: hand-derived value with a tie across the classes, and bad input named', () => {
  // positives 0.8, 0.5; negatives 0.5, 0.1: pairs (0.8>0.5), (0.8>0.1), (0.5=0.5 -> 1/2), (0.5>0.1) = 3.5 / 4
  assert.equal(rocAuc([1, 1, 0, 0], [0.8, 0.5, 0.5, 0.1]), 0.875);
  assert.throws(() => rocAuc([1, 0], [0.5]), /2 labels but 1 scores/);
  assert.throws(() => rocAuc([1, 0], [0.5, NaN]), /not a finite number/);
});
