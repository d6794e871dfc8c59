/**
 * Mirror averaging (left–right test-time augmentation) on network tensors laid out `[planes, H, W]`
 * (planes = batch × channels): the network also sees each input mirrored along W, and its output
 * for the mirrored input, mirrored back, is averaged with the plain output. The network was trained
 * with random left–right mirroring, so both views are in its training distribution. Used for single
 * 8-bit images (`lung-burden segment` on PNG/JPEG), where the doubled cost is small; volumes are run
 * once per slice to stay inside the time budget.
 */

/** A copy of `x` (`planes × h × w`) mirrored along the last axis. */
export function mirrorLastAxis(x: Float32Array, planes: number, h: number, w: number): Float32Array {
  if (x.length < planes * h * w) throw new RangeError('tensor shorter than planes × h × w');
  const out = new Float32Array(planes * h * w);
  for (let row = 0; row < planes * h; row++) {
    const o = row * w;
    for (let c = 0; c < w; c++) out[o + c] = x[o + w - 1 - c]!;
  }
  return out;
}

/** In place: `plain[p, y, x] = (plain[p, y, x] + mirroredOut[p, y, w − 1 − x]) / 2`. */
export function averageWithMirrored(plain: Float32Array, mirroredOut: Float32Array, planes: number, h: number, w: number): void {
  if (plain.length < planes * h * w || mirroredOut.length < planes * h * w) throw new RangeError('tensor shorter than planes × h × w');
  for (let row = 0; row < planes * h; row++) {
    const o = row * w;
    for (let c = 0; c < w; c++) plain[o + c] = (plain[o + c]! + mirroredOut[o + w - 1 - c]!) / 2;
  }
}
