import type { Vec3 } from '../../domain/volume.ts';
import { segmentRowInterval, type RowInterval } from './segment-row-interval.ts';
import { inPlaneAxes, type IndexAxis } from './view-plane.ts';

/** A ball in 3-D (`sphere`) or a disc in the grid slice perpendicular to `normalAxis` (`circle`). */
export type BrushShape = { readonly kind: 'sphere' } | { readonly kind: 'circle'; readonly normalAxis: IndexAxis };

/**
 * Squared-distance slack (mm²) added to r², so voxel centres exactly on the brush surface are
 * painted despite floating-point rounding (about 1e-6/(2r) mm of distance).
 */
export const BRUSH_TOLERANCE_MM2 = 1e-6;

/**
 * The voxels covered by a stroke, as a bit mask over the stroke's bounding box (clipped to the
 * volume) plus, per box row, the first and last covered offset so that painting never visits
 * uncovered rows. The box axes are (u, v, w) = `axes`; u varies fastest, and iterating w, v, u
 * in increasing order visits linear voxel indices in increasing order.
 */
export interface BrushFootprint {
  readonly axes: readonly [IndexAxis, IndexAxis, IndexAxis];
  /** Grid index of the box's first voxel along u, v, w. */
  readonly lo: readonly [number, number, number];
  /** Box extent along u, v, w in voxels. */
  readonly boxSize: readonly [number, number, number];
  /** 1 where covered; index `u + v·nu + w·nu·nv` (offsets inside the box). */
  readonly mask: Uint8Array;
  /** Per row `v + w·nv`: first covered u offset, or `nu` when the row is empty. */
  readonly rowMin: Int32Array;
  /** Per row: last covered u offset, or −1 when the row is empty. */
  readonly rowMax: Int32Array;
  /** Σ over rows of (rowMax − rowMin + 1): an upper bound of the covered voxel count. */
  readonly spanVoxels: number;
}

/**
 * Rasterises a brush of radius `radiusMm` swept along the polyline `ijk` (packed continuous
 * indices): a voxel is covered when the millimetre distance from its centre to the nearest point
 * of any segment is ≤ radius (+{@link BRUSH_TOLERANCE_MM2}), with distances scaled by
 * `spacingMm` per axis (anisotropic voxels; exact for orthonormal directions, i.e. every grid
 * except a sheared gantry-tilt one). For a `circle`, every point is projected onto the
 * grid slice nearest to the FIRST point along the normal, and distances are in-plane.
 *
 * Each segment is a capsule (convex), so its intersection with a grid row is one interval,
 * found analytically and then snapped to the exact per-voxel test at both ends; cost is
 * O(rows of the stroke box × segments + covered voxels). Returns null when nothing is covered
 * inside the volume. The returned arrays are views of scratch buffers that the next call
 * overwrites: use them before rasterising again.
 */
export function rasterizeBrush(ijk: Float64Array, radiusMm: number, size: Vec3, spacingMm: Vec3, shape: BrushShape): BrushFootprint | null {
  const nPoints = ijk.length / 3;
  const axes: readonly [IndexAxis, IndexAxis, IndexAxis] =
    shape.kind === 'sphere' ? [0, 1, 2] : [...inPlaneAxes(shape.normalAxis), shape.normalAxis];
  const [au, av, aw] = axes;
  const su = spacingMm[au],
    sv = spacingMm[av],
    sw = spacingMm[aw];
  const nU = size[au],
    nV = size[av],
    nW = size[aw];
  const r2 = radiusMm * radiusMm + BRUSH_TOLERANCE_MM2;
  const reach = Math.sqrt(r2);

  // Points in millimetres along (u, v, w); a circle's points are projected onto one slice.
  const pts = new Float64Array(3 * nPoints);
  let fixedW = -1;
  if (shape.kind === 'circle') {
    fixedW = Math.round(ijk[aw]!);
    if (fixedW < 0 || fixedW >= nW) return null;
  }
  for (let m = 0; m < nPoints; m++) {
    pts[3 * m] = ijk[3 * m + au]! * su;
    pts[3 * m + 1] = ijk[3 * m + av]! * sv;
    pts[3 * m + 2] = (fixedW >= 0 ? fixedW : ijk[3 * m + aw]!) * sw;
  }

  // Bounding box of the whole stroke, clipped to the volume.
  let u0 = Infinity,
    u1 = -Infinity,
    v0 = Infinity,
    v1 = -Infinity,
    w0 = Infinity,
    w1 = -Infinity;
  for (let m = 0; m < nPoints; m++) {
    u0 = Math.min(u0, Math.floor((pts[3 * m]! - reach) / su));
    u1 = Math.max(u1, Math.ceil((pts[3 * m]! + reach) / su));
    v0 = Math.min(v0, Math.floor((pts[3 * m + 1]! - reach) / sv));
    v1 = Math.max(v1, Math.ceil((pts[3 * m + 1]! + reach) / sv));
    w0 = Math.min(w0, Math.floor((pts[3 * m + 2]! - reach) / sw));
    w1 = Math.max(w1, Math.ceil((pts[3 * m + 2]! + reach) / sw));
  }
  if (fixedW >= 0) w0 = w1 = fixedW;
  u0 = Math.max(u0, 0);
  v0 = Math.max(v0, 0);
  w0 = Math.max(w0, 0);
  u1 = Math.min(u1, nU - 1);
  v1 = Math.min(v1, nV - 1);
  w1 = Math.min(w1, nW - 1);
  if (u0 > u1 || v0 > v1 || w0 > w1) return null;

  const bu = u1 - u0 + 1,
    bv = v1 - v0 + 1,
    bw = w1 - w0 + 1;
  // Scratch buffers are reused across calls (JS runs one call at a time per thread), so a
  // drag does not allocate a box-sized mask per pointer event; only the used part is cleared.
  const mask = scratchBytes(bu * bv * bw);
  const rowMin = scratchInts(0, bv * bw).fill(bu);
  const rowMax = scratchInts(1, bv * bw).fill(-1);
  let covered = false;
  const interval: RowInterval = { lo: 0, hi: -1 };

  const nSegments = Math.max(1, nPoints - 1);
  for (let s = 0; s < nSegments; s++) {
    const e = Math.min(s + 1, nPoints - 1);
    const Au = pts[3 * s]!,
      Av = pts[3 * s + 1]!,
      Aw = pts[3 * s + 2]!;
    const Du = pts[3 * e]! - Au,
      Dv = pts[3 * e + 1]! - Av,
      Dw = pts[3 * e + 2]! - Aw;
    const l2 = Du * Du + Dv * Dv + Dw * Dw;
    const segV0 = Math.max(v0, Math.floor((Math.min(Av, Av + Dv) - reach) / sv));
    const segV1 = Math.min(v1, Math.ceil((Math.max(Av, Av + Dv) + reach) / sv));
    const segW0 = Math.max(w0, Math.floor((Math.min(Aw, Aw + Dw) - reach) / sw));
    const segW1 = Math.min(w1, Math.ceil((Math.max(Aw, Aw + Dw) + reach) / sw));
    for (let w = segW0; w <= segW1; w++) {
      const wmm = w * sw;
      for (let v = segV0; v <= segV1; v++) {
        if (!segmentRowInterval(Au, Av, Aw, Du, Dv, Dw, l2, v * sv, wmm, su, r2, u0, u1, interval)) continue;
        const row = v - v0 + (w - w0) * bv;
        const lo = interval.lo - u0,
          hi = interval.hi - u0;
        mask.fill(1, row * bu + lo, row * bu + hi + 1);
        if (lo < rowMin[row]!) rowMin[row] = lo;
        if (hi > rowMax[row]!) rowMax[row] = hi;
        covered = true;
      }
    }
  }
  if (!covered) return null;
  let spanVoxels = 0;
  for (let row = 0; row < bv * bw; row++) if (rowMax[row]! >= rowMin[row]!) spanVoxels += rowMax[row]! - rowMin[row]! + 1;
  return { axes, lo: [u0, v0, w0], boxSize: [bu, bv, bw], mask, rowMin, rowMax, spanVoxels };
}

let maskScratch = new Uint8Array(0);
const intScratch = [new Int32Array(0), new Int32Array(0)];

/** A zeroed view of `length` bytes of the shared mask scratch buffer. */
function scratchBytes(length: number): Uint8Array {
  if (maskScratch.length < length) maskScratch = new Uint8Array(Math.max(length, 2 * maskScratch.length));
  const view = maskScratch.subarray(0, length);
  view.fill(0);
  return view;
}

/** A view of `length` ints of shared scratch buffer `slot` (contents undefined). */
function scratchInts(slot: 0 | 1, length: number): Int32Array {
  if (intScratch[slot]!.length < length) intScratch[slot] = new Int32Array(Math.max(length, 2 * intScratch[slot]!.length));
  return intScratch[slot]!.subarray(0, length);
}
