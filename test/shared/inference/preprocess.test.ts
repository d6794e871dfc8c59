import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import { preprocessTestParams } from './preprocess-test-params.ts';

const P = preprocessTestParams();
const norm = (hu: number): number => {
  const v = Math.min(Math.max((hu - (-212 - 812)) / 1624, 0), 1);
  return Math.fround((v - 0.25) / 0.5);
};

/** Volume nI × nJ × nK from a function of (i, j, k). */
function vol(nI: number, nJ: number, nK: number, f: (i: number, j: number, k: number) => number) {
  const data = new Int16Array(nI * nJ * nK);
  for (let k = 0; k < nK; k++) for (let j = 0; j < nJ; j++) for (let i = 0; i < nI; i++) data[i + j * nI + k * nI * nJ] = f(i, j, k);
  return { size: [nI, nJ, nK] as const, data };
}

test('1:1 box: the tensor is the windowed, normalised slice (rows = j, columns = i)', () => {
  // whole 4×4 slice is body (≥ −500) → box (0, 0, 4) → identity resampling
  const v = vol(4, 4, 3, (i, j, k) => -400 + 10 * i + 100 * j + k);
  const { tensor, box } = preprocessWindow(v, 1, P);
  assert.deepEqual(box, { rowStart: 0, colStart: 0, side: 4 });
  for (let p = 0; p < 3; p++)
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) assert.equal(tensor[p * 16 + y * 4 + x], norm(-400 + 10 * x + 100 * y + p));
});

test('2:1 box: each output pixel is the mean of a 2×2 block (half-pixel centres, no antialias)', () => {
  const v = vol(8, 8, 1, (i, j) => -450 + 7 * i + 31 * j);
  const { tensor, box } = preprocessWindow(v, 0, P);
  assert.deepEqual(box, { rowStart: 0, colStart: 0, side: 8 });
  for (let y = 0; y < 4; y++)
    for (let x = 0; x < 4; x++) {
      const hu = -450 + 7 * (2 * x + 0.5) + 31 * (2 * y + 0.5);
      assert.ok(Math.abs(tensor[y * 4 + x]! - norm(hu)) < 1e-6, `(${y}, ${x})`);
    }
});

test('box beyond the slice reads air (−1024 HU), window clamps high HU to 1', () => {
  // body = one bright 2×2 square in the corner; margin 1 → box rows/cols −1…2 (side 4)
  const p = { ...P, bodyCropMarginPx: 1 };
  const v = vol(6, 6, 1, (i, j) => (i < 2 && j < 2 ? 3000 : -1024));
  const { tensor, box } = preprocessWindow(v, 0, p);
  assert.deepEqual(box, { rowStart: -1, colStart: -1, side: 4 });
  assert.equal(tensor[0], norm(-1024)); // (−1, −1): outside
  assert.equal(tensor[1 * 4 + 1], norm(3000)); // (0, 0): bright, clamped to 1
  assert.equal(tensor[1 * 4 + 1], Math.fround((1 - 0.25) / 0.5));
  assert.equal(tensor[3 * 4 + 3], norm(-1024)); // (2, 2): air inside the image
});

test('window channels follow increasing k and replicate edge slices; box from the middle slice only', () => {
  // slice k has value 100·k everywhere except slice 0, which has a small body square only
  const v = vol(6, 6, 3, (i, j, k) => (k === 0 ? (i >= 2 && i < 4 && j >= 2 && j < 4 ? 0 : -1024) : -800 + 100 * k));
  const p = { ...P, height: 2, width: 2 };
  const first = preprocessWindow(v, 0, p);
  assert.deepEqual(first.box, { rowStart: 2, colStart: 2, side: 2 }); // from slice 0 itself
  const last = preprocessWindow(v, 2, p);
  assert.deepEqual(last.box, { rowStart: 0, colStart: 0, side: 6 }); // slice 2 is all body
  // window of k = 2 is [1, 2, 2]
  assert.equal(last.tensor[0], norm(-700));
  assert.equal(last.tensor[4], norm(-600));
  assert.equal(last.tensor[8], norm(-600));
});

test('writes into a batch tensor at the given offset only', () => {
  const v = vol(4, 4, 3, () => 0);
  const out = new Float32Array(2 * 3 * 16).fill(42);
  const r = preprocessWindow(v, 1, P, out, 48);
  assert.equal(r.tensor, out);
  assert.ok(out.subarray(0, 48).every((x) => x === 42));
  assert.ok(out.subarray(48).every((x) => x === norm(0)));
  assert.throws(() => preprocessWindow(v, 1, P, out, 60), RangeError);
});
