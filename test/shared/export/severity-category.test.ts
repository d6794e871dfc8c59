import assert from 'node:assert/strict';
import { test } from 'node:test';
import { severityCategory } from '../../../shared/export/severity-category.ts';

test('severity bands of Pan et al. applied to the burden percentage', () => {
  const score = (p: number) => severityCategory(p).score;
  assert.deepEqual([0, 0.01, 4.99, 5, 24.9, 25, 49.9, 50, 75, 75.1, 100].map(score), [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  assert.equal(severityCategory(12).label, 'mild');
  assert.equal(severityCategory(12).range, '5–25 %');
  assert.throws(() => severityCategory(Number.NaN), RangeError);
  assert.throws(() => severityCategory(120), RangeError);
});
