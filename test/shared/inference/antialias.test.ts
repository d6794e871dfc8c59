import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AntialiasedResize, antialiasSigma, gaussianWeights } from '../../../shared/inference/antialias.ts';
import type { CropBox } from '../../../shared/inference/body-crop-box.ts';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import { preprocessTestParams } from './preprocess-test-params.ts';

const PAD = -1024;

test('sigma and weights as in Python (antialias_sigma, gaussian_weights)', () => {
  assert.equal(antialiasSigma(192, 192), 0);
  assert.equal(antialiasSigma(100, 192), 0);
  assert.equal(antialiasSigma(576, 192), 1);
  assert.deepEqual([...gaussianWeights(0)], [1]);
  for (const sigma of [0.3, 1, 2.0625]) {
    const w = gaussianWeights(sigma);
    const r = Math.ceil(3 * sigma);
    assert.equal(w.length, 2 * r + 1);
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-15);
    for (let d = 0; d <= r; d++) {
      assert.equal(w[r + d], w[r - d]);
      assert.ok(Math.abs(w[r + d]! / w[r]! - Math.exp(-(d * d) / (2 * sigma * sigma))) < 1e-15);
    }
  }
});

/**
 * The contract taken literally (Python `antialias_slice` then `resize_box`): correlate the whole
 * slice along columns, then along rows, reading `PAD` outside it; then sample bilinearly with
 * half-pixel centres, reading `PAD` outside the slice.
 */
function literalResize(src: Float64Array, nI: number, nJ: number, box: CropBox, H: number, W: number): Float64Array {
  const filter = (img: Float64Array, sigma: number, vertical: boolean): Float64Array => {
    const g = gaussianWeights(sigma);
    const r = (g.length - 1) / 2;
    const out = new Float64Array(img.length);
    for (let j = 0; j < nJ; j++)
      for (let i = 0; i < nI; i++) {
        let acc = 0;
        for (let d = -r; d <= r; d++) {
          const jj = vertical ? j + d : j;
          const ii = vertical ? i : i + d;
          acc += g[d + r]! * (jj >= 0 && jj < nJ && ii >= 0 && ii < nI ? img[jj * nI + ii]! : PAD);
        }
        out[j * nI + i] = acc;
      }
    return out;
  };
  const f = filter(filter(src, antialiasSigma(box.side, H), true), antialiasSigma(box.side, W), false);
  const at = (j: number, i: number): number => (j >= 0 && j < nJ && i >= 0 && i < nI ? f[j * nI + i]! : PAD);
  const out = new Float64Array(H * W);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const sy = box.rowStart + ((y + 0.5) * box.side) / H - 0.5;
      const sx = box.colStart + ((x + 0.5) * box.side) / W - 0.5;
      const j0 = Math.floor(sy),
        i0 = Math.floor(sx);
      const fy = sy - j0,
        fx = sx - i0;
      out[y * W + x] =
        at(j0, i0) * (1 - fy) * (1 - fx) + at(j0, i0 + 1) * (1 - fy) * fx + at(j0 + 1, i0) * fy * (1 - fx) + at(j0 + 1, i0 + 1) * fy * fx;
    }
  return out;
}

/** Deterministic pseudo-random slice in HU, including values below the padding (−3024, outside the scan field). */
function randomSlice(nI: number, nJ: number, seed: number): Float64Array {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2147483648), s / 2147483648);
  const out = new Float64Array(nI * nJ);
  for (let n = 0; n < out.length; n++) out[n] = Math.round(next() < 0.05 ? -3024 : -1100 + 2000 * next());
  return out;
}

test('the banded resize equals the literal filter-then-sample contract for boxes inside, across and outside the slice', () => {
  const nI = 37,
    nJ = 29;
  const src = randomSlice(nI, nJ, 3);
  const cases: { box: CropBox; H: number; W: number }[] = [
    { box: { rowStart: 2, colStart: 3, side: 25 }, H: 7, W: 7 }, // inside, σ = 1.29
    { box: { rowStart: -6, colStart: 5, side: 40 }, H: 9, W: 13 }, // past the top and right edges, σ differs by axis
    { box: { rowStart: -3, colStart: -4, side: 45 }, H: 50, W: 6 }, // σ = 0 vertically, 3.25 horizontally
    { box: { rowStart: 10, colStart: -2, side: 31 }, H: 4, W: 40 }, // past the bottom and left edges, σ = 0 horizontally
    { box: { rowStart: 0, colStart: 0, side: 37 }, H: 1, W: 2 }, // one output row: σ = 18, radius past the whole slice
    { box: { rowStart: -80, colStart: -70, side: 40 }, H: 5, W: 5 }, // entirely outside: all padding
  ];
  for (const { box, H, W } of cases) {
    const expected = literalResize(src, nI, nJ, box, H, W);
    const out = new Float64Array(H * W);
    new AntialiasedResize(box, nI, nJ, H, W, PAD).resize(src, 0, out);
    let maxDiff = 0;
    for (let n = 0; n < out.length; n++) maxDiff = Math.max(maxDiff, Math.abs(out[n]! - expected[n]!));
    assert.ok(maxDiff < 1e-9, `${JSON.stringify(box)} → ${H}×${W}: max |diff| ${maxDiff} HU`);
  }
});

test('reads the slice at the given base offset only', () => {
  const nI = 20,
    nJ = 16;
  const slice = randomSlice(nI, nJ, 11);
  const stacked = new Float64Array(3 * nI * nJ).fill(5000);
  stacked.set(slice, nI * nJ);
  const box = { rowStart: -2, colStart: 1, side: 22 };
  const a = new Float64Array(25),
    b = new Float64Array(25);
  const resize = new AntialiasedResize(box, nI, nJ, 5, 5, PAD);
  resize.resize(slice, 0, a);
  resize.resize(stacked, nI * nJ, b);
  assert.deepEqual(b, a);
});

const P = preprocessTestParams({ sliceWindow: 1, height: 8, width: 8 });

function slice(nI: number, nJ: number, f: (i: number, j: number) => number) {
  const data = new Int16Array(nI * nJ);
  for (let j = 0; j < nJ; j++) for (let i = 0; i < nI; i++) data[i + j * nI] = f(i, j);
  return { size: [nI, nJ, 1] as const, data };
}

test('preprocessWindow: antialias changes a decimated crop, not an enlarged one, and keeps air exact', () => {
  // 24×24 body of 1-px vertical stripes: box side 24 → 8×8, output column x samples source column 3x + 1 exactly
  const norm = (hu: number): number => Math.fround(((hu - (-212 - 812)) / 1624 - 0.25) / 0.5);
  const striped = slice(24, 24, (i) => (i % 2 === 0 ? -400 : 200));
  const plain = preprocessWindow(striped, 0, P).tensor;
  const aa = preprocessWindow(striped, 0, { ...P, antialias: true }).tensor;
  // without the filter the stripes alias to a stripe pattern of the output; σ = 1 removes them (to 1.4 % of their amplitude: 4 HU of 300)
  const centre = 4 * 8 + 4;
  assert.deepEqual([plain[centre], plain[centre + 1]], [norm(200), norm(-400)]);
  for (const n of [centre, centre + 1]) assert.ok(Math.abs(aa[n]! - norm(-100)) < 0.01, `${aa[n]} vs the stripes' mean ${norm(-100)}`);
  // an enlarged crop (side 4 → 8) is not filtered: identical to the plain resize
  const small = slice(4, 4, (i, j) => -450 + 37 * i + 11 * j);
  assert.deepEqual(preprocessWindow(small, 0, { ...P, antialias: true }).tensor, preprocessWindow(small, 0, P).tensor);
  // all air in, all air out (the padding is air too), exactly
  const air = slice(40, 24, () => -1024);
  const airNorm = Math.fround((0 - 0.25) / 0.5);
  assert.ok(preprocessWindow(air, 0, { ...P, antialias: true }).tensor.every((v) => v === airNorm));
});
