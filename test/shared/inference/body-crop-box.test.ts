import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyCropBox } from '../../../shared/inference/body-crop-box.ts';

/** rows × cols slice of air with rectangles [r0, r1) × [c0, c1) set to `hu`. */
function slice(rows: number, cols: number, rects: [number, number, number, number, number][]): Int16Array {
  const s = new Int16Array(rows * cols).fill(-1024);
  for (const [r0, r1, c0, c1, hu] of rects) for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s[c + r * cols] = hu;
  return s;
}

test('square box about the largest component, margin added, wider side kept', () => {
  // body rows 30…129 (h 100), cols 10…129 (w 120) in a 160 × 160 slice, margin 4
  const s = slice(160, 160, [[30, 130, 10, 130, 40]]);
  assert.deepEqual(bodyCropBox(s, 0, 160, 160, -500, 4), { rowStart: 16, colStart: 6, side: 128 });
});

test('floor division centres an odd difference towards the start', () => {
  // h = 3, w = 6 (m = 0): side 6, rowStart = r0 − ⌊3/2⌋ = r0 − 1
  const s = slice(20, 20, [[5, 8, 2, 8, 0]]);
  assert.deepEqual(bodyCropBox(s, 0, 20, 20, -500, 0), { rowStart: 4, colStart: 2, side: 6 });
});

test('only the largest 4-connected component counts (diagonal contact does not connect)', () => {
  // a 3×3 blob and, diagonally touching it, a 2×2 blob: separate under 4-connectivity
  const s = slice(20, 20, [
    [2, 5, 2, 5, 0],
    [5, 7, 5, 7, 0],
    [10, 11, 10, 14, 0],
  ]);
  assert.deepEqual(bodyCropBox(s, 0, 20, 20, -500, 0), { rowStart: 2, colStart: 2, side: 3 });
});

test('ties go to the component met first in row-major order', () => {
  const s = slice(20, 20, [
    [10, 12, 1, 3, 0],
    [2, 4, 15, 17, 0],
  ]);
  // both 2×2; the one at rows 2…3 comes first in row-major order
  assert.deepEqual(bodyCropBox(s, 0, 20, 20, -500, 0), { rowStart: 2, colStart: 15, side: 2 });
});

test('threshold is inclusive (hu ≥ bodyThresholdHu)', () => {
  const s = slice(10, 10, [[3, 5, 3, 5, -500]]);
  assert.deepEqual(bodyCropBox(s, 0, 10, 10, -500, 0), { rowStart: 3, colStart: 3, side: 2 });
  // one HU below the threshold: empty mask → whole slice
  const t = slice(10, 10, [[3, 5, 3, 5, -501]]);
  assert.deepEqual(bodyCropBox(t, 0, 10, 10, -500, 0), { rowStart: 0, colStart: 0, side: 10 });
});

test('empty mask on a non-square slice: whole slice made square, box may leave the image', () => {
  const s = slice(10, 16, []);
  assert.deepEqual(bodyCropBox(s, 0, 16, 10, -500, 2), { rowStart: -5, colStart: -2, side: 20 });
});

test('offset selects the slice inside a volume buffer', () => {
  const a = slice(10, 10, [[1, 3, 1, 3, 0]]);
  const b = slice(10, 10, [[5, 9, 4, 8, 0]]);
  const vol = new Int16Array(200);
  vol.set(a, 0);
  vol.set(b, 100);
  assert.deepEqual(bodyCropBox(vol, 100, 10, 10, -500, 1), { rowStart: 4, colStart: 3, side: 6 });
});

/** Straightforward reference: flood fill every 4-connected component, keep the first largest. */
function referenceBox(hu: Int16Array, cols: number, rows: number, thr: number, m: number) {
  const seen = new Uint8Array(cols * rows);
  let best = 0,
    box = [0, rows - 1, 0, cols - 1];
  for (let p0 = 0; p0 < cols * rows; p0++) {
    if (seen[p0] || !(hu[p0]! >= thr)) continue;
    const stack = [p0];
    seen[p0] = 1;
    let n = 0,
      r0 = rows,
      r1 = -1,
      c0 = cols,
      c1 = -1;
    while (stack.length) {
      const p = stack.pop()!;
      n++;
      const r = Math.floor(p / cols),
        c = p % cols;
      r0 = Math.min(r0, r);
      r1 = Math.max(r1, r);
      c0 = Math.min(c0, c);
      c1 = Math.max(c1, c);
      for (const [q, ok] of [
        [p - 1, c > 0],
        [p + 1, c < cols - 1],
        [p - cols, r > 0],
        [p + cols, r < rows - 1],
      ] as const) {
        if (ok && !seen[q] && hu[q]! >= thr) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    if (n > best) {
      best = n;
      box = [r0, r1, c0, c1];
    }
  }
  const [r0, r1, c0, c1] = box as [number, number, number, number];
  const h = r1 - r0 + 1 + 2 * m,
    w = c1 - c0 + 1 + 2 * m,
    side = Math.max(h, w);
  return {
    rowStart: r0 - m - Math.floor((side - h) / 2),
    colStart: c0 - m - Math.floor((side - w) / 2),
    side,
  };
}

test('run-length labelling equals a plain flood fill on random masks (incl. > 1024 runs, ties)', () => {
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let trial = 0; trial < 60; trial++) {
    const rows = 5 + Math.floor(rand() * 70),
      cols = 5 + Math.floor(rand() * 70);
    const density = [0.2, 0.45, 0.6, 0.8][trial % 4]!;
    const s = new Int16Array(rows * cols).map(() => (rand() < density ? 0 : -1000));
    const m = trial % 3;
    assert.deepEqual(bodyCropBox(s, 0, cols, rows, -500, m), referenceBox(s, cols, rows, -500, m), `trial ${trial}`);
  }
  // many runs: a vertical stripe pattern 300 × 300 has 150 runs per row (45 000 runs)
  const stripes = new Int16Array(300 * 300).map((_, p) => ((p % 300) % 2 === 0 ? 0 : -1000));
  assert.deepEqual(bodyCropBox(stripes, 0, 300, 300, -500, 0), referenceBox(stripes, 300, 300, -500, 0));
});
