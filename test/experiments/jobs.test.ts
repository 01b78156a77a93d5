import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { jobPlan, prefixLines, shardArgs } from '../../lib/experiments/jobs';

describe('experiment jobs', () => {
  test('jobPlan: cores split evenly, at least one thread, no more jobs than runs, the user\'s FER_WASM_THREADS wins', () => {
    assert.deepEqual(jobPlan(2, 2, 6), { jobs: 2, threadsPerJob: 1 });
    assert.deepEqual(jobPlan(2, 8, 6), { jobs: 2, threadsPerJob: 4 });
    assert.deepEqual(jobPlan(3, 2, 6), { jobs: 3, threadsPerJob: 1 });
    assert.deepEqual(jobPlan(4, 8, 2), { jobs: 2, threadsPerJob: 4 });
    assert.deepEqual(jobPlan(2, 2, 6, '2'), { jobs: 2, threadsPerJob: 2 });
    assert.deepEqual(jobPlan(2, 2, 6, 'x'), { jobs: 2, threadsPerJob: 1 });
    assert.throws(() => jobPlan(0, 2, 6), /--jobs must be a positive integer, got 0/);
  });

  test('shardArgs drops --jobs N and appends the shard', () => {
    assert.deepEqual(shardArgs(['--experiments', 'initialisation', '--jobs', '2', '--folds', '2,3'], 1, 2),
      ['--experiments', 'initialisation', '--folds', '2,3', '--shard', '1/2']);
  });

  test('prefixLines prefixes whole lines and carries a partial one', () => {
    const carry = { rest: '' };
    assert.equal(prefixLines('[0/2] ', carry, 'run 1 data\nrun 1 mo'), '[0/2] run 1 data\n');
    assert.equal(carry.rest, 'run 1 mo');
    assert.equal(prefixLines('[0/2] ', carry, 'del\n'), '[0/2] run 1 model\n');
    assert.equal(carry.rest, '');
  });
});
