import assert from 'node:assert/strict';
import { test } from 'node:test';
import { softmaxEntropy } from '../../../shared/inference/softmax-entropy.ts';

test('uniform logits give ln C, confident logits give ~0', () => {
  assert.ok(Math.abs(softmaxEntropy([0, 0, 0]) - Math.log(3)) < 1e-12);
  assert.ok(Math.abs(softmaxEntropy([5, 5]) - Math.log(2)) < 1e-12);
  assert.ok(softmaxEntropy([100, 0, 0]) < 1e-40);
});

test('matches the direct formula and is shift-invariant and stable for huge logits', () => {
  const l = [1.3, -0.2, 0.7];
  const z = l.map(Math.exp);
  const s = z.reduce((a, b) => a + b, 0);
  const direct = -z.map((v) => v / s).reduce((a, p) => a + p * Math.log(p), 0);
  assert.ok(Math.abs(softmaxEntropy(l) - direct) < 1e-12);
  assert.ok(Math.abs(softmaxEntropy(l.map((v) => v + 1e4)) - direct) < 1e-9);
  assert.ok(Number.isFinite(softmaxEntropy([1e30, -1e30, 0])));
});

test('offset and count select one voxel of a flat array', () => {
  const flat = new Float32Array([9, 9, 0, 0, 0, 9]);
  assert.ok(Math.abs(softmaxEntropy(flat, 2, 3) - Math.log(3)) < 1e-7);
  assert.equal(softmaxEntropy(flat, 0, 1), 0);
});
