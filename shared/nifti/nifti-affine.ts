import type { Mat3, Vec3, VolumeGeometry } from '../domain/volume.ts';
import { NiftiError } from './nifti-error.ts';

/**
 * A NIfTI voxel-to-world affine: the first three rows of the 4×4 matrix, row-major
 * (`[m00, m01, m02, m03, m10, …, m23]`). World coordinates are in millimetres in the frame the
 * affine belongs to (NIfTI files are RAS+; our volumes are LPS).
 */
export type Affine34 = readonly [number, number, number, number, number, number, number, number, number, number, number, number];

/** Largest |cos| allowed between two axis directions before an affine counts as sheared. */
export const SHEAR_TOLERANCE = 1e-4;

/**
 * Rotation matrix (row-major 3×3) of a NIfTI quaternion `(b, c, d)`, with `a = sqrt(1 − b² − c² − d²)`,
 * exactly as `nifti_quatern_to_mat44` of the reference library nifti1_io.c (when `a²` is below
 * 1e−7 the vector is normalised and `a = 0`, a 180° rotation).
 */
export function quaternToRotation(b: number, c: number, d: number): number[] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const n = Math.sqrt(b * b + c * c + d * d);
    if (!(n > 0)) throw new NiftiError('bad-geometry', 'NIfTI qform quaternion is degenerate');
    b /= n;
    c /= n;
    d /= n;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  return [
    a * a + b * b - c * c - d * d,
    2 * (b * c - a * d),
    2 * (b * d + a * c),
    2 * (b * c + a * d),
    a * a + c * c - b * b - d * d,
    2 * (c * d - a * b),
    2 * (b * d - a * c),
    2 * (c * d + a * b),
    a * a + d * d - c * c - b * b,
  ];
}

/**
 * The qform affine (RAS, mm): `R · diag(dx, dy, qfac·dz)` plus the offset, as nifti1_io.c's
 * `nifti_quatern_to_mat44`. `qfac` is pixdim[0] (−1 or +1; 0 counts as +1).
 */
export function qformAffine(quatern: Vec3, offset: Vec3, pixdim: Vec3, qfac: number): Affine34 {
  const r = quaternToRotation(quatern[0], quatern[1], quatern[2]);
  const s: Vec3 = [pixdim[0], pixdim[1], qfac < 0 ? -pixdim[2] : pixdim[2]];
  const m = (row: number, col: number): number => (r[row * 3 + col] as number) * s[col as 0 | 1 | 2];
  return [m(0, 0), m(0, 1), m(0, 2), offset[0], m(1, 0), m(1, 1), m(1, 2), offset[1], m(2, 0), m(2, 1), m(2, 2), offset[2]];
}

/** True when the three columns of the affine's 3×3 part are mutually orthogonal (within {@link SHEAR_TOLERANCE}). */
export function isOrthogonalAffine(a: Affine34): boolean {
  const col = (c: number): Vec3 => [a[c], a[4 + c], a[8 + c]] as unknown as Vec3;
  const cols = [col(0), col(1), col(2)].map((v) => {
    const n = Math.hypot(v[0], v[1], v[2]);
    return n > 0 ? ([v[0] / n, v[1] / n, v[2] / n] as const) : null;
  });
  for (let p = 0; p < 3; p++) {
    for (let q = p + 1; q < 3; q++) {
      const u = cols[p];
      const v = cols[q];
      if (!u || !v) return false;
      if (Math.abs(u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) > SHEAR_TOLERANCE) return false;
    }
  }
  return true;
}

/**
 * Splits a RAS affine into our LPS geometry: LPS = diag(−1, −1, 1) · RAS (the first two rows are
 * negated), `spacingMm` = column norms, `directionLps` = unit columns (column-major, as in
 * {@link VolumeGeometry}), `originLps` = the translation (centre of voxel 0,0,0).
 * Throws `bad-geometry` for a zero or non-finite column.
 */
export function geometryFromRasAffine(a: Affine34): Omit<VolumeGeometry, 'size'> {
  if (!a.every(Number.isFinite)) throw new NiftiError('bad-geometry', 'NIfTI affine contains NaN or Inf');
  const spacing: number[] = [];
  const dir: number[] = [];
  for (const c of [0, 1, 2] as const) {
    const x = 0 - a[c];
    const y = 0 - a[(4 + c) as 4 | 5 | 6];
    const z = a[(8 + c) as 8 | 9 | 10];
    const n = Math.hypot(x, y, z);
    if (!(n > 0)) throw new NiftiError('bad-geometry', `NIfTI affine column ${c} has zero length (voxel size 0)`);
    spacing.push(n);
    dir.push(x / n, y / n, z / n);
  }
  return {
    spacingMm: spacing as unknown as Vec3,
    originLps: [0 - a[3], 0 - a[7], a[11]],
    directionLps: dir as unknown as Mat3,
  };
}

/** The RAS affine of an LPS geometry (inverse of {@link geometryFromRasAffine}). */
export function rasAffineFromGeometry(g: Omit<VolumeGeometry, 'size'>): Affine34 {
  const d = g.directionLps;
  const s = g.spacingMm;
  const o = g.originLps;
  const m = (row: number, col: 0 | 1 | 2): number => (d[col * 3 + row] as number) * s[col] * (row < 2 ? -1 : 1) + 0;
  return [m(0, 0), m(0, 1), m(0, 2), 0 - o[0], m(1, 0), m(1, 1), m(1, 2), 0 - o[1], m(2, 0), m(2, 1), m(2, 2), o[2]];
}

/**
 * NIfTI quaternion parameters of an orthonormal rotation-or-reflection `R` (row-major 3×3), as
 * nifti1_io.c's `nifti_mat44_to_quatern`: when det(R) < 0 the third column is negated and
 * `qfac = −1`. Returns `null` when R is not orthonormal (then no qform can represent it).
 */
export function rotationToQuatern(rIn: readonly number[]): { b: number; c: number; d: number; qfac: 1 | -1 } | null {
  const r = [...rIn];
  for (let p = 0; p < 3; p++) {
    for (let q = 0; q < 3; q++) {
      let dot = 0;
      for (let k = 0; k < 3; k++) dot += (r[k * 3 + p] as number) * (r[k * 3 + q] as number);
      if (Math.abs(dot - (p === q ? 1 : 0)) > SHEAR_TOLERANCE) return null;
    }
  }
  const g = (i: number): number => r[i] as number;
  const det = g(0) * (g(4) * g(8) - g(5) * g(7)) - g(1) * (g(3) * g(8) - g(5) * g(6)) + g(2) * (g(3) * g(7) - g(4) * g(6));
  let qfac: 1 | -1 = 1;
  if (det < 0) {
    qfac = -1;
    r[2] = -g(2);
    r[5] = -g(5);
    r[8] = -g(8);
  }
  const [r11, r12, r13, r21, r22, r23, r31, r32, r33] = r as [number, number, number, number, number, number, number, number, number];
  let a = r11 + r22 + r33 + 1;
  let b: number;
  let c: number;
  let d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r32 - r23)) / a;
    c = (0.25 * (r13 - r31)) / a;
    d = (0.25 * (r21 - r12)) / a;
  } else {
    const xd = 1 + r11 - (r22 + r33);
    const yd = 1 + r22 - (r11 + r33);
    const zd = 1 + r33 - (r11 + r22);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r12 + r21)) / b;
      d = (0.25 * (r13 + r31)) / b;
      a = (0.25 * (r32 - r23)) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r12 + r21)) / c;
      d = (0.25 * (r23 + r32)) / c;
      a = (0.25 * (r13 - r31)) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r13 + r31)) / d;
      c = (0.25 * (r23 + r32)) / d;
      a = (0.25 * (r21 - r12)) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { b, c, d, qfac };
}
