/**
 * Slice indices of the F-slice input window centred on slice `k` of a volume with `numSlices`
 * slices (k order of the LPS-reoriented volume, see `shared/domain/volume.ts`).
 *
 * The window is `k + d` for `d = −⌊F/2⌋ … F − 1 − ⌊F/2⌋`, so the predicted slice `k` sits at window
 * position ⌊F/2⌋ (the "middle slice" of `model-metadata.ts`). At the first and last slices the
 * missing neighbours are REPLACED BY THE BORDER SLICE (index clamped to `[0, numSlices − 1]`),
 * never zero-filled: a zero (or air) slice would look like a sudden end of the body to the
 * ConvLSTM, while a repeated slice looks like a thick slice, which the network has seen. This is
 * the same rule as Python `lungburden.data.preprocess.window_indices`.
 *
 * @param k index of the predicted slice, `0 ≤ k < numSlices`
 * @param numSlices number of slices nK of the volume (≥ 1)
 * @param sliceWindow F, the number of slices the network reads (≥ 1)
 * @returns F slice indices in increasing k order (repeats at the edges)
 */
export function sliceWindowIndices(k: number, numSlices: number, sliceWindow: number): number[] {
  if (!Number.isInteger(numSlices) || numSlices < 1) throw new RangeError(`numSlices must be a positive integer, got ${numSlices}`);
  if (!Number.isInteger(sliceWindow) || sliceWindow < 1) throw new RangeError(`sliceWindow must be a positive integer, got ${sliceWindow}`);
  if (!Number.isInteger(k) || k < 0 || k >= numSlices) throw new RangeError(`slice ${k} is outside 0…${numSlices - 1}`);
  const half = Math.floor(sliceWindow / 2);
  const out = new Array<number>(sliceWindow);
  for (let p = 0; p < sliceWindow; p++) out[p] = Math.min(Math.max(k - half + p, 0), numSlices - 1);
  return out;
}
