import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageWithMirrored, mirrorLastAxis } from '../../../shared/inference/mirror-average.ts';

test('mirrorLastAxis reverses each row of every plane and leaves the input alone', () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // 2 planes × 2 rows × 3
  const m = mirrorLastAxis(x, 2, 2, 3);
  assert.deepEqual([...m], [3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
  assert.deepEqual([...mirrorLastAxis(m, 2, 2, 3)], [...x]);
  assert.equal(x[0], 1);
  assert.throws(() => mirrorLastAxis(x, 3, 2, 3), RangeError);
});

test('averageWithMirrored: a mirror-equivariant network gives back its plain output; otherwise the mean of both views', () => {
  const plain = Float32Array.from([1, 2, 3, 4]); // 1 plane × 1 row × 4
  averageWithMirrored(plain, mirrorLastAxis(plain, 1, 1, 4), 1, 1, 4);
  assert.deepEqual([...plain], [1, 2, 3, 4]);
  const a = Float32Array.from([0, 0, 10, 0]);
  averageWithMirrored(a, Float32Array.from([2, 0, 0, 0]), 1, 1, 4);
  assert.deepEqual([...a], [0, 0, 5, 1]);
});
