import type { LabelMap } from '../domain/label-map.ts';
import type { Mat3, Vec3, Volume, VolumeGeometry } from '../domain/volume.ts';

/**
 * LPS position (mm) of a continuous voxel index `(i, j, k)`:
 * `origin + direction · diag(spacing) · ijk` (see {@link Volume} for the axis order).
 */
export function ijkToLps(g: Omit<VolumeGeometry, 'size'>, ijk: Vec3): Vec3 {
  const d = g.directionLps;
  const s = g.spacingMm;
  const a = ijk[0] * s[0];
  const b = ijk[1] * s[1];
  const c = ijk[2] * s[2];
  return [
    g.originLps[0] + d[0] * a + d[3] * b + d[6] * c,
    g.originLps[1] + d[1] * a + d[4] * b + d[7] * c,
    g.originLps[2] + d[2] * a + d[5] * b + d[8] * c,
  ];
}

/**
 * Continuous voxel index of an LPS position (mm); the inverse of {@link ijkToLps}. Works for any
 * invertible direction matrix (not only orthonormal ones). Round to get the nearest voxel centre.
 */
export function lpsToIjk(g: Omit<VolumeGeometry, 'size'>, lps: Vec3): Vec3 {
  const m = matrixIndexToLps(g);
  const inv = invert3(m);
  const x = lps[0] - g.originLps[0];
  const y = lps[1] - g.originLps[1];
  const z = lps[2] - g.originLps[2];
  return [inv[0] * x + inv[3] * y + inv[6] * z, inv[1] * x + inv[4] * y + inv[7] * z, inv[2] * x + inv[5] * y + inv[8] * z];
}

/** `direction · diag(spacing)`, column-major. */
function matrixIndexToLps(g: Omit<VolumeGeometry, 'size'>): Mat3 {
  const d = g.directionLps;
  const s = g.spacingMm;
  return [d[0] * s[0], d[1] * s[0], d[2] * s[0], d[3] * s[1], d[4] * s[1], d[5] * s[1], d[6] * s[2], d[7] * s[2], d[8] * s[2]];
}

/** Inverse of a column-major 3×3 matrix (throws when singular). */
function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m; // columns: (a,b,c), (d,e,f), (g,h,i)
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Math.abs(det) > 1e-12)) throw new Error('geometry: direction·spacing matrix is singular');
  // inverse = adj / det, column-major
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/**
 * How to turn a grid into the nearest LPS-aligned grid: new axis `a` (0 = i → +x, 1 = j → +y,
 * 2 = k → +z) is old axis `axes[a]`, read backwards when `flip[a]`.
 */
export interface AxisReorientation {
  readonly axes: readonly [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2];
  readonly flip: readonly [boolean, boolean, boolean];
}

const PERMUTATIONS: readonly (readonly [0 | 1 | 2, 0 | 1 | 2, 0 | 1 | 2])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/**
 * The axis permutation and flips that bring a grid closest to i → +x (patient left),
 * j → +y (posterior), k → +z (superior): among the six permutations, the one maximising
 * Σ |cos(angle between new axis a and LPS axis a)|, then each axis flipped when it points the
 * negative way. Exact (no resampling): an oblique grid stays oblique, only its nearest-axis
 * labelling changes.
 */
export function lpsReorientation(g: Pick<VolumeGeometry, 'directionLps'>): AxisReorientation {
  const d = g.directionLps;
  let best = PERMUTATIONS[0] as (typeof PERMUTATIONS)[number];
  let bestScore = -1;
  for (const p of PERMUTATIONS) {
    // new axis a = old axis p[a]; its LPS component a is d[p[a]*3 + a]
    const score = Math.abs(d[p[0] * 3] as number) + Math.abs(d[p[1] * 3 + 1] as number) + Math.abs(d[p[2] * 3 + 2] as number);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = p;
    }
  }
  const flip = [0, 1, 2].map((a) => (d[(best[a] as number) * 3 + a] as number) < 0) as unknown as [boolean, boolean, boolean];
  return { axes: best, flip };
}

/** True when the reorientation changes nothing. */
export function isIdentityReorientation(r: AxisReorientation): boolean {
  return r.axes[0] === 0 && r.axes[1] === 1 && r.axes[2] === 2 && !r.flip[0] && !r.flip[1] && !r.flip[2];
}

/** Geometry of a grid after applying `r` (size, spacing, direction columns and origin permuted/flipped). */
export function reorientGeometry(g: VolumeGeometry, r: AxisReorientation): VolumeGeometry {
  const size = r.axes.map((a) => g.size[a]) as unknown as Vec3;
  const spacingMm = r.axes.map((a) => g.spacingMm[a]) as unknown as Vec3;
  const dir: number[] = [];
  for (let a = 0; a < 3; a++) {
    const old = r.axes[a] as number;
    const sign = r.flip[a] ? -1 : 1;
    for (let c = 0; c < 3; c++) dir.push(sign * (g.directionLps[old * 3 + c] as number) + 0);
  }
  // new voxel (0,0,0) is old voxel with index size-1 along every flipped axis
  const oldIjk: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) if (r.flip[a]) oldIjk[r.axes[a] as number] = (g.size[r.axes[a] as number] as number) - 1;
  return { size, spacingMm, directionLps: dir as unknown as Mat3, originLps: ijkToLps(g, oldIjk) };
}

/** Source offset/stride plan: new voxel (a0,a1,a2) reads old linear index `start + Σ a_n·step[n]`. */
function plan(oldSize: Vec3, r: AxisReorientation): { start: number; step: [number, number, number]; newSize: Vec3 } {
  const strides = [1, oldSize[0], oldSize[0] * oldSize[1]];
  let start = 0;
  const step: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const old = r.axes[a] as number;
    const st = strides[old] as number;
    if (r.flip[a]) {
      start += ((oldSize[old] as number) - 1) * st;
      step[a] = -st;
    } else {
      step[a] = st;
    }
  }
  return { start, step, newSize: r.axes.map((a) => oldSize[a]) as unknown as Vec3 };
}

function permuteData<T extends Int16Array | Uint8Array>(src: T, oldSize: Vec3, r: AxisReorientation, inverse: boolean, dst: T): T {
  const { start, step, newSize } = plan(oldSize, r);
  const [n0, n1, n2] = newSize;
  let q = 0;
  for (let a2 = 0; a2 < n2; a2++) {
    const p2 = start + a2 * step[2];
    for (let a1 = 0; a1 < n1; a1++) {
      let p = p2 + a1 * step[1];
      const s0 = step[0];
      if (inverse) {
        for (let a0 = 0; a0 < n0; a0++, p += s0) dst[p] = src[q++] as number;
      } else {
        for (let a0 = 0; a0 < n0; a0++, p += s0) dst[q++] = src[p] as number;
      }
    }
  }
  return dst;
}

/**
 * Permutes and flips the axes of a volume or label map so that i → +x, j → +y, k → +z as closely
 * as possible (nearest axis, see {@link lpsReorientation}); the voxels keep their LPS positions
 * exactly. Used before 2-D per-slice processing (axial slices, anterior up) and inference.
 * Returns the input object itself when it is already so oriented.
 */
export function reorientToLps<T extends Volume | LabelMap>(image: T): T {
  const r = lpsReorientation(image);
  if (isIdentityReorientation(r)) return image;
  const geo = reorientGeometry(image, r);
  const data =
    image.data instanceof Int16Array
      ? permuteData(image.data, image.size, r, false, new Int16Array(image.data.length))
      : permuteData(image.data, image.size, r, false, new Uint8Array(image.data.length));
  return { ...image, ...geo, data };
}

/**
 * The inverse of {@link reorientToLps} for label maps: takes labels computed on
 * `reorientToLps(original)` and returns them on the grid of `original` (size, spacing,
 * direction and origin of `original`). Throws when the label map is not on the reoriented grid.
 */
export function reorientLabelsFromLps(labels: LabelMap, original: VolumeGeometry): LabelMap {
  const r = lpsReorientation(original);
  const expected = reorientGeometry(original, r);
  if (labels.size.some((s, a) => s !== expected.size[a])) {
    throw new Error(`reorientLabelsFromLps: labels are ${labels.size.join('×')}, the reoriented grid is ${expected.size.join('×')}`);
  }
  const geo: VolumeGeometry = {
    size: original.size,
    spacingMm: original.spacingMm,
    originLps: original.originLps,
    directionLps: original.directionLps,
  };
  if (isIdentityReorientation(r)) return { ...geo, data: labels.data };
  const data = permuteData(labels.data, original.size, r, true, new Uint8Array(labels.data.length));
  return { ...geo, data };
}
