import type { VolumeGeometry } from './volume.ts';

/**
 * Bounds of a plausible CT volume geometry. Every imported volume is checked against them once,
 * where it is created (DICOM stack assembly, NIfTI decoding), because every volume figure (mL,
 * burden) is a voxel count times the voxel volume: a zero, negative or absurd spacing gives
 * silently wrong numbers (lung −44 mL, or 5e302 mL, with exit 0 before this check).
 */
export const GEOMETRY_LIMITS = {
  /** Smallest voxel spacing accepted on any axis, mm (clinical CT: ≥ 0.1 mm in-plane). */
  minSpacingMm: 0.05,
  /** Largest voxel spacing accepted on any axis, mm (clinical CT slices: ≤ 10 mm). */
  maxSpacingMm: 20,
  /** Largest extent (voxels × spacing) accepted on any axis, mm: a whole-body scan is ≤ 2 m. */
  maxExtentMm: 3000,
  /** Largest |coordinate| of the first voxel's centre accepted, mm (scanner frames are metres at most). */
  maxAbsOriginMm: 100_000,
  /**
   * Smallest |determinant| of the direction matrix accepted: 1 for an orthogonal grid, cos(tilt)
   * for a gantry tilt; below 0.5 (tilt > 60°) the slice axis (almost) lies in the image plane, as
   * when all slices sit at one position shifted within the plane.
   */
  minAbsDeterminant: 0.5,
} as const;

/**
 * Problems of a volume geometry, as sentences for the user (empty when plausible): spacing
 * finite, positive and within {@link GEOMETRY_LIMITS} (0.05–20 mm), extent and origin plausible,
 * direction columns finite unit vectors spanning 3-D. Sizes must be positive integers.
 */
export function geometryProblems(g: VolumeGeometry): string[] {
  const out: string[] = [];
  const L = GEOMETRY_LIMITS;
  const axes = ['i (columns)', 'j (rows)', 'k (slices)'] as const;
  for (let a = 0; a < 3; a++) {
    const n = g.size[a] as number;
    const s = g.spacingMm[a] as number;
    const name = axes[a] as string;
    if (!(Number.isInteger(n) && n >= 1)) out.push(`size along ${name} is ${n} (a positive whole number is needed)`);
    if (!Number.isFinite(s)) out.push(`voxel spacing along ${name} is ${s} mm (not a finite number)`);
    else if (s <= 0) out.push(`voxel spacing along ${name} is ${s} mm (${s === 0 ? 'zero: all slices at one position' : 'negative'})`);
    else if (s < L.minSpacingMm || s > L.maxSpacingMm)
      out.push(`voxel spacing along ${name} is ${fmt(s)} mm, outside the plausible ${L.minSpacingMm}–${L.maxSpacingMm} mm of a CT`);
    else if (n * s > L.maxExtentMm) out.push(`extent along ${name} is ${fmt(n * s)} mm, above the plausible ${L.maxExtentMm} mm`);
  }
  if (!g.originLps.every((x) => Number.isFinite(x) && Math.abs(x) <= L.maxAbsOriginMm)) {
    out.push(`position of the first voxel (${g.originLps.map(fmt).join(', ')}) mm is not finite or beyond ${L.maxAbsOriginMm} mm`);
  }
  const d = g.directionLps;
  const cols = [0, 1, 2].map((c) => [d[3 * c], d[3 * c + 1], d[3 * c + 2]] as [number, number, number]);
  if (!d.every(Number.isFinite) || cols.some((v) => Math.abs(Math.hypot(...v) - 1) > 1e-3)) {
    out.push('direction cosines are not finite unit vectors');
  } else {
    const [a, b, c] = cols as [[number, number, number], [number, number, number], [number, number, number]];
    const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - b[0] * (a[1] * c[2] - a[2] * c[1]) + c[0] * (a[1] * b[2] - a[2] * b[1]);
    if (Math.abs(det) < L.minAbsDeterminant) {
      out.push(`the slice axis lies (almost) in the image plane (|det| of the directions ${fmt(Math.abs(det))} < ${L.minAbsDeterminant})`);
    }
  }
  return out;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : String(Math.round(x * 1000) / 1000);
}
