/**
 * A scalar image volume on a regular grid in the DICOM patient frame (LPS, millimetres).
 *
 * Axis order, stated once for the whole code base:
 * - `size = [nI, nJ, nK]`: i runs along image columns, j along image rows, k along slices.
 * - Voxel (i, j, k) is stored at `data[i + j * nI + k * nI * nJ]` (i fastest).
 * - `direction` is a 3×3 matrix stored column-major as 9 numbers: column c (entries
 *   `direction[3c..3c+2]`) is the LPS unit vector of index axis c (i, j or k).
 * - The LPS position of voxel (i, j, k) is
 *   `origin + direction · diag(spacingMm) · [i, j, k]`. `origin` is the centre of voxel (0, 0, 0).
 */
export type Vec3 = readonly [number, number, number];

/** 3×3 direction cosines, column-major (see {@link Volume}). */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export interface VolumeGeometry {
  /** Number of voxels along i (columns), j (rows), k (slices). */
  readonly size: Vec3;
  /** Voxel spacing along i, j, k in millimetres. */
  readonly spacingMm: Vec3;
  /** LPS position (mm) of the centre of voxel (0, 0, 0). */
  readonly originLps: Vec3;
  /** Column-major direction cosines of the i, j, k axes in LPS. */
  readonly directionLps: Mat3;
}

/** A CT volume in Hounsfield units (Int16, padding mapped to air). */
export interface Volume extends VolumeGeometry {
  readonly data: Int16Array;
}

/** The identity direction: i → +x (towards patient left), j → +y (posterior), k → +z (superior). */
export const IDENTITY_DIRECTION: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Total voxel count of a geometry. */
export function voxelCount(g: Pick<VolumeGeometry, 'size'>): number {
  return g.size[0] * g.size[1] * g.size[2];
}

/** Volume of one voxel in millilitres (1 mL = 1000 mm³). */
export function voxelVolumeMl(g: Pick<VolumeGeometry, 'spacingMm'>): number {
  return (g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000;
}

/** The HU value used for air and for padding outside the scan field. */
export const AIR_HU = -1024;
