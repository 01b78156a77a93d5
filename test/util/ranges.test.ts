import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { integerRanges } from '../../lib/util/ranges';

test('integerRanges joins consecutive integers into inclusive ranges', () => {
  assert.deepEqual(integerRanges([1, 2, 3, 7, 9, 10]), [[1, 3], [7, 7], [9, 10]]);
});

test('integerRanges of no integers is no range', () => {
  assert.deepEqual(integerRanges([]), []);
});
