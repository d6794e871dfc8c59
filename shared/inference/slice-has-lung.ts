/**
 * For each slice k, whether the lung mask has at least one non-zero voxel in it. Slices without
 * lung are not sent to the network (their labels are background): lesions are only counted inside
 * the lung, so running the model there would only cost time.
 *
 * @param lungMask label volume (i fastest, then j, then k) of size `nI·nJ·nK`
 * @param size `[nI, nJ, nK]`
 */
export function sliceHasLung(lungMask: Uint8Array, size: readonly [number, number, number]): boolean[] {
  const sliceLen = size[0] * size[1];
  const out = new Array<boolean>(size[2]).fill(false);
  for (let k = 0; k < size[2]; k++) {
    const base = k * sliceLen;
    for (let p = 0; p < sliceLen; p++) {
      if (lungMask[base + p] !== 0) {
        out[k] = true;
        break;
      }
    }
  }
  return out;
}
