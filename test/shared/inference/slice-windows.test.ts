import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sliceWindowIndices } from '../../../shared/inference/slice-windows.ts';

test('F = 3 window is k−1, k, k+1 in increasing k order', () => {
  assert.deepEqual(sliceWindowIndices(5, 10, 3), [4, 5, 6]);
});

test('edge slices replicate the border slice (never zero-filled)', () => {
  assert.deepEqual(sliceWindowIndices(0, 10, 3), [0, 0, 1]);
  assert.deepEqual(sliceWindowIndices(9, 10, 3), [8, 9, 9]);
  assert.deepEqual(sliceWindowIndices(0, 1, 5), [0, 0, 0, 0, 0]);
  assert.deepEqual(sliceWindowIndices(1, 4, 5), [0, 0, 1, 2, 3]);
});

test('even F puts k at position ⌊F/2⌋ (as Python window_indices)', () => {
  assert.deepEqual(sliceWindowIndices(5, 10, 4), [3, 4, 5, 6]);
  assert.deepEqual(sliceWindowIndices(5, 10, 1), [5]);
});

test('bad arguments throw RangeError', () => {
  assert.throws(() => sliceWindowIndices(10, 10, 3), RangeError);
  assert.throws(() => sliceWindowIndices(-1, 10, 3), RangeError);
  assert.throws(() => sliceWindowIndices(0, 0, 3), RangeError);
  assert.throws(() => sliceWindowIndices(0, 10, 0), RangeError);
  assert.throws(() => sliceWindowIndices(1.5, 10, 3), RangeError);
});
