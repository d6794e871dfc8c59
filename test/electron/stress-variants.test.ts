// The "other sources" alterations of the stress tests (scripts/stress-variants.ts,
// scripts/site-variants.ts) on generated slices: labels follow the geometry, blanked parts are 0,
// grey-only alterations leave the labels alone, the random one is deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toUpright } from '../../shared/imaging/slice-orientation.ts';
import { gammaCurve, gaussianNoise, halfResolution, jpegRecompress, otherWindow } from '../../scripts/site-variants.ts';
import {
  AIR_GREY,
  circularFieldOfView,
  localContrast,
  noTable,
  paddedCircularFieldOfView,
  storedAs,
  type StressSlice,
} from '../../scripts/stress-variants.ts';

/** A cols × rows slice from a grey function; labels 1 where the grey is odd (so they can be traced through any move). */
function slice(cols: number, rows: number, grey: (x: number, y: number) => number): Required<StressSlice> {
  const gray = new Uint8Array(cols * rows);
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) gray[y * cols + x] = grey(x, y);
  return { gray, cols, rows, labels: gray.map((v) => v % 2) };
}

const pattern = (x: number, y: number): number => (x * 7 + y * 13) % 256;

test('circular field of view: 0 outside the circle (grey and labels), untouched inside', () => {
  const s = slice(40, 30, pattern);
  const c = circularFieldOfView(s, 0);
  const r = 0.46 * 30;
  for (let y = 0; y < 30; y++)
    for (let x = 0; x < 40; x++) {
      const p = y * 40 + x;
      const inside = (x - 20) ** 2 + (y - 15) ** 2 <= r * r;
      assert.equal(c.gray[p], inside ? s.gray[p] : 0);
      assert.equal(c.labels?.[p], inside ? s.labels[p] : 0);
    }
});

test('stored upside down + transposed: labels move with the image, and bringing it upright gives the slice back', () => {
  const o = { transposed: true, upsideDown: true, mirrored: false };
  const s = slice(12, 9, pattern);
  const t = storedAs(o)(s, 0);
  assert.deepEqual([t.cols, t.rows], [9, 12]);
  assert.deepEqual(
    t.labels,
    t.gray.map((v) => v % 2),
  );
  assert.deepEqual(toUpright(t.gray, t.cols, t.rows, o).data, s.gray);
  assert.notDeepEqual(t.gray, s.gray);
});

test('padded circular field of view: the whole slice and every label kept, air inside the circle, 0 outside', () => {
  const s = slice(30, 20, (x, y) => (x === 0 || y === 0 || x === 29 || y === 19 ? 21 : 2 * ((x + y) % 60) + 101));
  const p = paddedCircularFieldOfView(s, 0);
  const side = Math.ceil(Math.hypot(30, 20)) + 2;
  assert.deepEqual([p.cols, p.rows], [side, side]);
  const x0 = Math.floor((side - 30) / 2),
    y0 = Math.floor((side - 20) / 2);
  for (let y = 0; y < 20; y++)
    for (let x = 0; x < 30; x++) {
      assert.equal(p.gray[(y + y0) * side + x + x0], s.gray[y * 30 + x]);
      assert.equal(p.labels?.[(y + y0) * side + x + x0], s.labels[y * 30 + x]);
    }
  assert.equal(
    p.labels?.reduce((a, v) => a + v, 0),
    s.labels.reduce((a, v) => a + v, 0),
    'no label lost or added',
  );
  assert.equal(p.gray[0], 0, 'corner outside the circle');
  assert.equal(p.gray[Math.floor(side / 2) * side + 1], 21, 'inside the circle, left of the slice: the border air');
  const bright = paddedCircularFieldOfView(
    slice(30, 20, () => 200),
    0,
  );
  assert.equal(bright.gray[Math.floor(side / 2) * side + 1], AIR_GREY, 'a tissue border is not taken for air');
});

test('no table: a separate bright bar below the body is blanked with its labels, the body is kept', () => {
  // body: ellipse of soft tissue (grey 200 ≈ +26 HU in −500/1500); table: a bar below; air 40
  const body = (x: number, y: number): boolean => ((x - 32) / 24) ** 2 + ((y - 24) / 16) ** 2 <= 1;
  const s = slice(64, 56, (x, y) => (body(x, y) ? 201 : y >= 50 && y <= 52 ? 181 : 40));
  const n = noTable(s, 0);
  for (let x = 0; x < 64; x++) {
    assert.equal(n.gray[51 * 64 + x], 0, 'table row blanked');
    assert.equal(n.labels?.[51 * 64 + x], 0, 'table labels blanked');
  }
  assert.equal(n.gray[24 * 64 + 32], 201, 'body kept');
  assert.equal(n.labels?.[24 * 64 + 32], 1);
});

test('grey-only alterations keep the size and the labels; constant and known maps', () => {
  const s = slice(32, 24, pattern);
  for (const v of [
    localContrast,
    gammaCurve(0.7),
    otherWindow({ center: -500, width: 1500 }, { center: -600, width: 1200 }),
    halfResolution,
    jpegRecompress(30),
    gaussianNoise(8, 1),
  ]) {
    const a = v(s, 3);
    assert.deepEqual([a.cols, a.rows, a.gray.length], [32, 24, s.gray.length]);
    assert.equal(a.labels, s.labels);
  }
  const flat = slice(32, 24, () => 90);
  assert.deepEqual(localContrast(flat, 0).gray, flat.gray, 'no local contrast to add on a flat slice');
  assert.deepEqual(halfResolution(flat, 0).gray, flat.gray, 'a flat slice survives down and up sampling');
  assert.deepEqual(
    gammaCurve(1.4)(
      slice(3, 1, (x) => [0, 128, 255][x]!),
      0,
    ).gray,
    Uint8Array.from([0, 97, 255]) /* 255 · (128/255)^1.4 = 97.2 */,
  );
  // read in −500/1500, written in −600/1200: grey × 1.25 − 10.625, clipped
  assert.deepEqual(
    otherWindow({ center: -500, width: 1500 }, { center: -600, width: 1200 })(
      slice(3, 1, (x) => [0, 100, 220][x]!),
      0,
    ).gray,
    Uint8Array.from([0, 114, 255]),
  );
});

test('half resolution loses detail: a one-pixel checkerboard becomes grey', () => {
  const h = halfResolution(
    slice(16, 16, (x, y) => ((x + y) % 2 ? 200 : 0)),
    0,
  );
  for (const v of h.gray) assert.equal(v, 100);
});

test('JPEG quality 30 stays close on a smooth slice, not identical on a noisy one', () => {
  const smooth = slice(64, 64, (x, y) => 60 + x + y);
  const j = jpegRecompress(30)(smooth, 0);
  const err = j.gray.reduce((a, v, p) => a + Math.abs(v - smooth.gray[p]!), 0) / j.gray.length;
  assert.ok(err < 4, `mean absolute error ${err}`);
  const busy = slice(64, 64, pattern);
  assert.notDeepEqual(jpegRecompress(30)(busy, 0).gray, busy.gray);
});

test('Gaussian noise: deterministic per seed and slice index, σ ≈ 8 grey levels, mean kept', () => {
  const s = slice(128, 128, () => 128);
  const noise = gaussianNoise(8, 14);
  assert.deepEqual(noise(s, 5).gray, noise(s, 5).gray, 'same seed and index, same noise');
  assert.notDeepEqual(noise(s, 5).gray, noise(s, 6).gray, 'another slice, other noise');
  assert.notDeepEqual(gaussianNoise(8, 15)(s, 5).gray, noise(s, 5).gray, 'another seed, other noise');
  const g = noise(s, 0).gray;
  const mean = g.reduce((a, v) => a + v, 0) / g.length;
  const sd = Math.sqrt(g.reduce((a, v) => a + (v - mean) ** 2, 0) / g.length);
  assert.ok(Math.abs(mean - 128) < 0.3, `mean ${mean}`);
  assert.ok(Math.abs(sd - 8) < 0.3, `sd ${sd}`);
});
