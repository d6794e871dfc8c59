import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_ORIENTATIONS,
  estimateSliceOrientation,
  estimateStoredOrientation,
  flipImage,
  fromUpright,
  orientationIndex,
  orientationName,
  parseOrientationName,
  toUpright,
  transposeImage,
  UPRIGHT,
} from '../../../shared/imaging/slice-orientation.ts';

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

/**
 * An upright chest drawing with the anatomy the D4 estimate uses: spine posterior (bottom), heart in
 * front of it and to the patient's left (image right), optionally a table below the body and a
 * circular field of view (air outside a circle that clips the body's corners).
 */
function uprightChest(cols: number, rows: number, opts: { table?: boolean; circle?: boolean } = {}): Int16Array {
  const hu = new Int16Array(cols * rows).fill(-1000);
  const cx = cols / 2,
    cy = rows / 2;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = (c - cx) / (0.44 * cols),
        y = (r - cy) / (0.36 * rows);
      let v = -1000;
      if (x * x + y * y < 1) {
        v = 40;
        const lx = (Math.abs(c - cx) - 0.2 * cols) / (0.15 * cols),
          ly = (r - cy) / (0.27 * rows);
        if (lx * lx + ly * ly < 1) v = -850;
        const hx = (c - (cx + 0.07 * cols)) / (0.12 * cols),
          hy = (r - (cy - 0.04 * rows)) / (0.14 * rows);
        if (hx * hx + hy * hy < 1) v = 45; // heart, to the patient's left (image right)
        const sx = (c - cx) / (0.05 * cols),
          sy = (r - (cy + 0.24 * rows)) / (0.05 * rows);
        if (sx * sx + sy * sy < 1) v = 700; // vertebral body
      }
      if (opts.table && r > cy + 0.4 * rows && r < cy + 0.44 * rows && Math.abs(c - cx) < 0.45 * cols) v = 300;
      if (opts.circle && (c - cx) ** 2 + (r - cy) ** 2 > (0.42 * cols) ** 2) v = -1024;
      hu[c + r * cols] = v;
    }
  return hu;
}

for (const variant of [{}, { table: true }, { circle: true }, { table: true, circle: true }]) {
  test(`every one of the 8 stored orientations is found (${JSON.stringify(variant)})`, () => {
    const cols = 180,
      rows = 150;
    const up = uprightChest(cols, rows, variant);
    for (const o of ALL_ORIENTATIONS) {
      const s = fromUpright(up, cols, rows, o);
      const est = estimateStoredOrientation(s.data, s.cols, s.rows);
      assert.equal(orientationName(est.orientation), orientationName(o), JSON.stringify(est.scores));
    }
  });
}

test('toUpright undoes fromUpright for all 8 orientations, and the 8 images differ', () => {
  const cols = 5,
    rows = 3;
  const a = Uint8Array.from({ length: cols * rows }, (_, i) => i);
  const seen = new Set<string>();
  for (const o of ALL_ORIENTATIONS) {
    const s = fromUpright(a, cols, rows, o);
    assert.deepEqual([s.cols, s.rows], o.transposed ? [rows, cols] : [cols, rows]);
    seen.add(`${s.cols}x${s.rows}:${[...s.data].join(',')}`);
    const back = toUpright(s.data, s.cols, s.rows, o);
    assert.deepEqual([back.cols, back.rows, [...back.data]], [cols, rows, [...a]], orientationName(o));
  }
  assert.equal(seen.size, 8);
  assert.deepEqual([...fromUpright(a, cols, rows, UPRIGHT).data], [...a]);
  assert.deepEqual([...flipImage(Uint8Array.from([1, 2, 3, 4]), 2, 2, 'rows')], [3, 4, 1, 2]);
  assert.deepEqual([...flipImage(Uint8Array.from([1, 2, 3, 4]), 2, 2, 'cols')], [2, 1, 4, 3]);
});

test('orientation names round-trip; display means upright; unknown names are refused', () => {
  for (const o of ALL_ORIENTATIONS) {
    const p = parseOrientationName(orientationName(o));
    assert.ok(p !== null);
    assert.equal(orientationIndex(p), orientationIndex(o));
  }
  assert.deepEqual(parseOrientationName('display'), UPRIGHT);
  assert.equal(parseOrientationName('sideways'), null);
  assert.equal(parseOrientationName('mirrored+mirrored'), null);
  assert.equal(parseOrientationName(''), null);
});

test('an image without a body gives scores of 0 and the upright orientation', () => {
  const est = estimateStoredOrientation(new Int16Array(64 * 48).fill(-1000), 64, 48);
  assert.equal(orientationName(est.orientation), 'upright');
});
