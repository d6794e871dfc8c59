import { AIR_HU, type Volume } from '../domain/volume.ts';
import { AntialiasedResize } from './antialias.ts';
import { bodyCropBox, type CropBox } from './body-crop-box.ts';
import type { PreprocessParams } from './preprocess-params.ts';
import { sliceWindowIndices } from './slice-windows.ts';

/** One preprocessed network input and the crop box needed to map its output back. */
export interface PreprocessedWindow {
  /** float32 `[F, H, W]` (or the caller's `out`, written at `outOffset`). */
  readonly tensor: Float32Array;
  /** Crop box of slice k (from its body mask), shared by the F slices of the window. */
  readonly box: CropBox;
}

/**
 * Preprocesses the F-slice window centred on slice `k` of an LPS-reoriented HU volume into the
 * network input `[F, H, W]`, EXACTLY as `model-metadata.ts` and Python
 * `lungburden.data.preprocess.preprocess_volume_window` specify (the golden test
 * `test/shared/inference/golden.test.ts` pins the two to 1e-4):
 *
 * 1. window slices: {@link sliceWindowIndices} (edge slices repeat);
 * 2. crop box: {@link bodyCropBox} of slice k (the middle slice), applied to all F slices;
 * 3. resize: output pixel (y, x) samples the slice at row `rowStart + (y + ½)·side/H − ½` and column
 *    `colStart + (x + ½)·side/W − ½` (half-pixel centres) by bilinear interpolation of the four
 *    neighbours, a neighbour outside the slice reading `AIR_HU` (−1024). No antialiasing unless
 *    `params.antialias` (metadata `preprocessing.antialias: true`; absent = false): then, when the box
 *    is decimated (`side > H` or `side > W`), every slice is first smoothed along columns by a
 *    Gaussian of σ = `(side/H − 1)/2` source pixels and along rows by σ = `(side/W − 1)/2` (weights
 *    `exp(−d²/2σ²)`, `|d| ≤ ⌈3σ⌉`, normalised, a pixel outside the slice reading `AIR_HU`), see
 *    {@link AntialiasedResize} (pinned by the antialiased golden case to the same 1e-4);
 * 4. intensity: `v = clamp((hu − (centerHu − widthHu/2)) / widthHu, 0, 1)`, then `(v − mean) / std`.
 *
 * Arithmetic is float64 in the same operation order as the Python code (the antialiased resize:
 * the same sums in another order); the result is rounded to float32. Frames: rows = j (LPS +y),
 * columns = i (LPS +x), window order = increasing k.
 *
 * @param volume LPS-reoriented HU volume (check with `checkLpsReoriented`)
 * @param k slice to predict, `0 ≤ k < nK`
 * @param params numbers from `metadata.json` (`preprocessParamsOf`)
 * @param out optional destination (e.g. a batch tensor); `F·H·W` floats are written at `outOffset`
 */
export function preprocessWindow(
  volume: Pick<Volume, 'size' | 'data'>,
  k: number,
  params: PreprocessParams,
  out?: Float32Array,
  outOffset = 0,
): PreprocessedWindow {
  const [nI, nJ, nK] = volume.size;
  const { sliceWindow: F, height: H, width: W } = params;
  const sliceLen = nI * nJ;
  const tensor = out ?? new Float32Array(F * H * W);
  if (tensor.length < outOffset + F * H * W) throw new RangeError('preprocessWindow: output tensor too small');
  const box = bodyCropBox(volume.data, k * sliceLen, nI, nJ, params.bodyThresholdHu, params.bodyCropMarginPx);

  // Per output row / column: source index of the first neighbour, fraction, and in-slice flags.
  const y0 = new Int32Array(H),
    fy = new Float64Array(H);
  const x0 = new Int32Array(W),
    fx = new Float64Array(W);
  for (let y = 0; y < H; y++) {
    const s = box.rowStart + ((y + 0.5) * box.side) / H - 0.5;
    const f = Math.floor(s);
    y0[y] = f;
    fy[y] = s - f;
  }
  for (let x = 0; x < W; x++) {
    const s = box.colStart + ((x + 0.5) * box.side) / W - 0.5;
    const f = Math.floor(s);
    x0[x] = f;
    fx[x] = s - f;
  }
  const lo = params.windowCenterHu - params.windowWidthHu / 2;
  const width = params.windowWidthHu;
  const mean = params.normalizeMean;
  const std = params.normalizeStd;
  const data = volume.data;
  const windowSlices = sliceWindowIndices(k, nK, F);
  const antialiased =
    params.antialias && AntialiasedResize.decimates(box.side, H, W) ? new AntialiasedResize(box, nI, nJ, H, W, AIR_HU) : null;
  const resizedHu = antialiased ? new Float64Array(H * W) : null;

  for (let p = 0; p < F; p++) {
    const base = windowSlices[p]! * sliceLen;
    const outBase = outOffset + p * H * W;
    if (antialiased && resizedHu) {
      antialiased.resize(data, base, resizedHu);
      for (let n = 0; n < H * W; n++) {
        let v = (resizedHu[n]! - lo) / width;
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        tensor[outBase + n] = (v - mean) / std;
      }
      continue;
    }
    for (let y = 0; y < H; y++) {
      const r0 = y0[y]!;
      const r1 = r0 + 1;
      const wy = fy[y]!;
      const row0In = r0 >= 0 && r0 < nJ;
      const row1In = r1 >= 0 && r1 < nJ;
      const rowBase0 = base + r0 * nI;
      const rowBase1 = base + r1 * nI;
      const outRow = outBase + y * W;
      for (let x = 0; x < W; x++) {
        const c0 = x0[x]!;
        const c1 = c0 + 1;
        const wx = fx[x]!;
        const col0In = c0 >= 0 && c0 < nI;
        const col1In = c1 >= 0 && c1 < nI;
        const v00 = row0In && col0In ? data[rowBase0 + c0]! : AIR_HU;
        const v01 = row0In && col1In ? data[rowBase0 + c1]! : AIR_HU;
        const v10 = row1In && col0In ? data[rowBase1 + c0]! : AIR_HU;
        const v11 = row1In && col1In ? data[rowBase1 + c1]! : AIR_HU;
        const hu = v00 * (1 - wy) * (1 - wx) + v01 * (1 - wy) * wx + v10 * wy * (1 - wx) + v11 * wy * wx;
        let v = (hu - lo) / width;
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        tensor[outRow + x] = (v - mean) / std;
      }
    }
  }
  return { tensor, box };
}
