/** 8-bit grey of `n` RGBA pixels (ITU-R BT.601 luma of RGB, rounded; alpha ignored), as `segment` reads colour images. */
export function rgbaToGray8(rgba: Uint8Array, n: number): Uint8Array {
  const gray = new Uint8Array(n);
  for (let p = 0, q = 0; p < n; p++, q += 4) {
    gray[p] = Math.round(0.299 * rgba[q]! + 0.587 * rgba[q + 1]! + 0.114 * rgba[q + 2]!);
  }
  return gray;
}
