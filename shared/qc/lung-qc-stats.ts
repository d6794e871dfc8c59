import type { LabelMap } from '../domain/label-map.ts';
import { voxelVolumeMl } from '../domain/volume.ts';

/** Lung voxels this close to the image edge (voxels) count as touching the border. */
export const BORDER_MARGIN_VOXELS = 2;

/** What the scan QC gate needs from a lung mask (1 right, 2 left), per slice along k. */
export interface LungQcStats {
  readonly rightMl: number;
  readonly leftMl: number;
  /** Lung area (mm²) of each slice k = 0 … n−1 (both lungs). */
  readonly sliceAreaMm2: readonly number[];
  /** Slices with any lung voxel. */
  readonly lungSlices: number;
  /**
   * Slices where a lung voxel lies within {@link BORDER_MARGIN_VOXELS} of the image edge, or of
   * the region outside a circular reconstruction field of view (when one is given).
   */
  readonly borderSlices: number;
}

/**
 * Per-slice lung areas, side volumes and border contacts of a lung mask. `outsideFov`: the in-plane
 * mask (`nI·nJ`, 1 = outside) of `outsideFieldOfView`, or null: a lung that reaches a circular
 * field of view is cut by it just as one that reaches the image edge.
 */
export function lungQcStats(mask: LabelMap, outsideFov: Uint8Array | null = null): LungQcStats {
  const [nI, nJ, nK] = mask.size;
  const plane = nI * nJ;
  const d = mask.data;
  const pixelMm2 = mask.spacingMm[0] * mask.spacingMm[1];
  const m = BORDER_MARGIN_VOXELS;
  let right = 0;
  let left = 0;
  let lungSlices = 0;
  let borderSlices = 0;
  const sliceAreaMm2: number[] = [];
  const nearFov = outsideFov && outsideFov.length === plane ? grow(outsideFov, nI, nJ, m) : null;
  for (let k = 0; k < nK; k++) {
    let n = 0;
    let border = false;
    const off = k * plane;
    for (let j = 0; j < nJ; j++) {
      const row = off + j * nI;
      const edgeRow = j < m || j >= nJ - m;
      for (let i = 0; i < nI; i++) {
        const v = d[row + i];
        if (v === 1) right++;
        else if (v === 2) left++;
        else continue;
        n++;
        if (!border && (edgeRow || i < m || i >= nI - m || (nearFov !== null && nearFov[j * nI + i] === 1))) border = true;
      }
    }
    sliceAreaMm2.push(n * pixelMm2);
    if (n > 0) lungSlices++;
    if (border) borderSlices++;
  }
  const ml = voxelVolumeMl(mask);
  return { rightMl: right * ml, leftMl: left * ml, sliceAreaMm2, lungSlices, borderSlices };
}

/** The in-plane mask grown by `r` pixels (square neighbourhood). */
function grow(m: Uint8Array, nI: number, nJ: number, r: number): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let j = 0; j < nJ; j++)
    for (let i = 0; i < nI; i++) {
      if (m[j * nI + i] !== 1) continue;
      for (let dj = -r; dj <= r; dj++)
        for (let di = -r; di <= r; di++) {
          const y = j + dj,
            x = i + di;
          if (y >= 0 && y < nJ && x >= 0 && x < nI) out[y * nI + x] = 1;
        }
    }
  return out;
}
