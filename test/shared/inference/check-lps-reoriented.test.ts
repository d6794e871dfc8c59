import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_DIRECTION, type Mat3 } from '../../../shared/domain/volume.ts';
import { checkLpsReoriented } from '../../../shared/inference/check-lps-reoriented.ts';
import { InferenceError } from '../../../shared/inference/inference-error.ts';

test('identity and slightly oblique directions are accepted', () => {
  checkLpsReoriented({ directionLps: IDENTITY_DIRECTION });
  const c = Math.cos(0.1),
    s = Math.sin(0.1);
  checkLpsReoriented({ directionLps: [c, s, 0, -s, c, 0, 0, 0, 1] });
});

test('flipped or transposed axes are refused with invalid-input', () => {
  const bad: Mat3[] = [
    [-1, 0, 0, 0, 1, 0, 0, 0, 1], // i → −x (columns left → right)
    [1, 0, 0, 0, -1, 0, 0, 0, 1], // j → −y
    [0, 1, 0, 1, 0, 0, 0, 0, 1], // i and j swapped
    [1, 0, 0, 0, 0, 1, 0, 1, 0], // coronal slices
    [1, 0, 0, 0, 1, 0, 0, 0, -1], // k descending
  ];
  for (const d of bad) {
    assert.throws(
      () => checkLpsReoriented({ directionLps: d }),
      (e: unknown) => e instanceof InferenceError && e.code === 'invalid-input' && /reorientToLps/.test(e.message),
    );
  }
});
