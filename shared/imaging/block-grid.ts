import type { Vec3, Volume } from '../domain/volume.ts';

/**
 * A coarser grid made of blocks of `factor[a]` voxels of a fine grid along each axis (the last
 * block of an axis may be shorter). Block (bi, bj, bk) covers fine voxels
 * `[bi·fi, min((bi+1)·fi, nI))` × … . Used to run classical segmentation on ~1.4 mm voxels and
 * bring the result back to the original grid.
 */
export interface BlockGrid {
  readonly fineSize: Vec3;
  readonly factor: Vec3;
  /** Size of the coarse grid (ceil(fine / factor)). */
  readonly size: Vec3;
  /** Coarse voxel spacing in mm (fine spacing × factor). */
  readonly spacingMm: Vec3;
}

/**
 * Block factors so that the coarse spacing is near `targetMm` (never below the fine spacing):
 * `max(1, round(target / spacing))` per axis.
 */
export function blockGridFor(fineSize: Vec3, fineSpacingMm: Vec3, targetMm: Vec3): BlockGrid {
  const factor = [0, 1, 2].map((a) => Math.max(1, Math.round((targetMm[a] as number) / (fineSpacingMm[a] as number)))) as unknown as Vec3;
  const size = [0, 1, 2].map((a) => Math.ceil((fineSize[a] as number) / (factor[a] as number))) as unknown as Vec3;
  const spacingMm = [0, 1, 2].map((a) => (fineSpacingMm[a] as number) * (factor[a] as number)) as unknown as Vec3;
  return { fineSize, factor, size, spacingMm };
}

/**
 * Mean HU of each block (rounded), i.e. area/volume averaging as a CT reconstructed with larger
 * voxels would show. One pass over the fine voxels.
 */
export function blockMean(volume: Volume, grid: BlockGrid): Int16Array {
  const [nx, ny, nz] = volume.size;
  const [cx, cy, cz] = grid.size;
  const [fx, fy, fz] = grid.factor;
  const out = new Int16Array(cx * cy * cz);
  // fine rows of one coarse row summed voxel by voxel (sequential reads), then reduced per block
  const rowSum = new Int32Array(nx);
  const src = volume.data;
  for (let bk = 0; bk < cz; bk++) {
    const k0 = bk * fz;
    const k1 = Math.min(nz, k0 + fz);
    for (let bj = 0; bj < cy; bj++) {
      const j0 = bj * fy;
      const j1 = Math.min(ny, j0 + fy);
      rowSum.fill(0);
      for (let k = k0; k < k1; k++) {
        for (let j = j0; j < j1; j++) {
          const p0 = j * nx + k * nx * ny;
          for (let i = 0; i < nx; i++) rowSum[i] = (rowSum[i] as number) + (src[p0 + i] as number);
        }
      }
      const rows = (k1 - k0) * (j1 - j0);
      const ob = bj * cx + bk * cx * cy;
      for (let bi = 0; bi < cx; bi++) {
        const i0 = bi * fx;
        const i1 = Math.min(nx, i0 + fx);
        let sum = 0;
        for (let i = i0; i < i1; i++) sum += rowSum[i] as number;
        out[ob + bi] = Math.round(sum / ((i1 - i0) * rows));
      }
    }
  }
  return out;
}
