import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateSliceOrientation, transposeImage } from '../../../shared/imaging/slice-orientation.ts';

/** A display-oriented axial chest drawing in HU: wide body, two lungs side by side, mediastinum and spine between. */
function chestSlice(cols: number, rows: number): Int16Array {
  const hu = new Int16Array(cols * rows).fill(-1000);
  const cx = cols / 2,
    cy = rows / 2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = (c - cx) / (0.46 * cols),
        y = (r - cy) / (0.4 * rows);
      if (x * x + y * y >= 1) continue;
      let v = 40; // soft tissue
      const lx = (Math.abs(c - cx) - 0.22 * cols) / (0.16 * cols),
        ly = (r - cy) / (0.3 * rows);
      if (lx * lx + ly * ly < 1) v = -850; // lungs
      const sx = (c - cx) / (0.06 * cols),
        sy = (r - (cy + 0.3 * rows)) / (0.06 * rows);
      if (sx * sx + sy * sy < 1) v = 700; // vertebral body
      hu[c + r * cols] = v;
    }
  }
  return hu;
}

test('a display-oriented chest slice scores positive; its transpose scores the negated value', () => {
  const cols = 160,
    rows = 120;
  const hu = chestSlice(cols, rows);
  const display = estimateSliceOrientation(hu, cols, rows);
  assert.equal(display.orientation, 'display');
  assert.ok(display.score > 0.3, `score ${display.score}`);
  const t = estimateSliceOrientation(transposeImage(hu, cols, rows), rows, cols);
  assert.equal(t.orientation, 'transposed');
  assert.ok(Math.abs(t.score + display.score) < 1e-9);
});

test('an image without evidence (uniform, or empty body mask) is taken as display orientation', () => {
  assert.deepEqual(estimateSliceOrientation(new Int16Array(64 * 48).fill(30), 64, 48), { orientation: 'display', score: 0 });
  assert.equal(estimateSliceOrientation(new Int16Array(64 * 48).fill(-1000), 64, 48).orientation, 'display');
});

test('transposeImage swaps rows and columns and is its own inverse', () => {
  const a = Uint8Array.from([1, 2, 3, 4, 5, 6]); // 2 rows × 3 columns
  const t = transposeImage(a, 3, 2); // 3 rows × 2 columns
  assert.deepEqual([...t], [1, 4, 2, 5, 3, 6]);
  assert.ok(t instanceof Uint8Array);
  assert.deepEqual([...transposeImage(t, 2, 3)], [...a]);
  const i16 = transposeImage(Int16Array.from([-5, 7]), 2, 1);
  assert.ok(i16 instanceof Int16Array);
  assert.deepEqual([...i16], [-5, 7]);
});
