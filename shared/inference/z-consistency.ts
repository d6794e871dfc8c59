/**
 * 3D consistency of the GGO / high-opacity split on volumes. The network labels every axial slice
 * from a window of F slices, so the class of a lesion can flip between neighbouring slices (GGO,
 * HO, GGO, …), which shows as bands in coronal and sagittal views. This re-decides the class of
 * every lesion voxel from `p(HO | lesion)` averaged along z over the lesion voxels at the same
 * (i, j) in slices k − radius … k + radius; which voxels are lesion is left unchanged (the
 * lesion/background decision stays per slice).
 */

/**
 * In place on `labels` (i fastest, then j, then k; `size = [nI, nJ, nK]`): each voxel labelled
 * `ggoLabel` or `hoLabel` gets `hoLabel` when the mean of `splitProbability` (`255 · p(HO | lesion)`,
 * written by `postprocessSlice`) over the lesion voxels of its z-column within ±`radius` slices is
 * ≥ `255 · hoThreshold`, else `ggoLabel`. `radius` 0 returns without change.
 *
 * @param hoThreshold threshold on p(HO | lesion) in [0, 1] (0.5 = the argmax between GGO and HO)
 */
export function smoothLesionClassAlongZ(
  labels: Uint8Array,
  splitProbability: Uint8Array,
  size: readonly [number, number, number],
  radius: number,
  hoThreshold: number,
  ggoLabel = 1,
  hoLabel = 2,
): void {
  const [nI, nJ, nK] = size;
  const plane = nI * nJ;
  if (labels.length !== plane * nK || splitProbability.length !== labels.length)
    throw new RangeError('smoothLesionClassAlongZ: labels / split probability do not match the size');
  if (!Number.isInteger(radius) || radius < 0)
    throw new RangeError(`smoothLesionClassAlongZ: radius must be an integer ≥ 0 (got ${radius})`);
  if (radius === 0 || nK < 2) return;
  const thr = 255 * hoThreshold;
  const isLesion = (l: number): boolean => l === ggoLabel || l === hoLabel;
  // Lesion membership is read before any change, so the result does not depend on the order.
  const lesion = new Uint8Array(labels.length);
  for (let p = 0; p < labels.length; p++) lesion[p] = isLesion(labels[p]!) ? 1 : 0;
  for (let q = 0; q < plane; q++) {
    for (let k = 0; k < nK; k++) {
      const idx = q + k * plane;
      if (!lesion[idx]) continue;
      let sum = 0,
        n = 0;
      const k0 = Math.max(0, k - radius),
        k1 = Math.min(nK - 1, k + radius);
      for (let kk = k0; kk <= k1; kk++) {
        const j = q + kk * plane;
        if (lesion[j]) {
          sum += splitProbability[j]!;
          n++;
        }
      }
      labels[idx] = sum / n >= thr ? hoLabel : ggoLabel;
    }
  }
}
