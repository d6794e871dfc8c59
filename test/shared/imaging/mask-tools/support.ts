import { BRUSH_TOLERANCE_MM2 } from '../../../../shared/imaging/mask-tools/brush-footprint.ts';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import { IDENTITY_DIRECTION, type Mat3, type Vec3, type Volume } from '../../../../shared/domain/volume.ts';
import { mulberry32 } from '../../../../shared/util/mulberry32.ts';

/** An all-background label map with the given grid. */
export function labelMapOf(
  size: Vec3,
  spacingMm: Vec3 = [1, 1, 1],
  directionLps: Mat3 = IDENTITY_DIRECTION,
  originLps: Vec3 = [0, 0, 0],
): LabelMap {
  return {
    size,
    spacingMm,
    originLps,
    directionLps,
    data: new Uint8Array(size[0] * size[1] * size[2]),
  };
}

/** A CT volume on the label map's grid with HU from `hu(i, j, k)`. */
export function volumeOn(map: LabelMap, hu: (i: number, j: number, k: number) => number): Volume {
  const [nI, nJ, nK] = map.size;
  const data = new Int16Array(nI * nJ * nK);
  for (let k = 0; k < nK; k++) for (let j = 0; j < nJ; j++) for (let i = 0; i < nI; i++) data[i + j * nI + k * nI * nJ] = hu(i, j, k);
  return {
    size: map.size,
    spacingMm: map.spacingMm,
    originLps: map.originLps,
    directionLps: map.directionLps,
    data,
  };
}

/** Linear index of (i, j, k). */
export function at(map: { size: Vec3 }, i: number, j: number, k: number): number {
  return i + j * map.size[0] + k * map.size[0] * map.size[1];
}

/** Calls `f(i, j, k, index)` for every voxel. */
export function forEachVoxel(map: { size: Vec3 }, f: (i: number, j: number, k: number, index: number) => void): void {
  const [nI, nJ, nK] = map.size;
  for (let k = 0; k < nK; k++) for (let j = 0; j < nJ; j++) for (let i = 0; i < nI; i++) f(i, j, k, i + j * nI + k * nI * nJ);
}

/** Number of voxels holding `label`. */
export function countLabel(data: Uint8Array, label: number): number {
  let n = 0;
  for (const v of data) if (v === label) n++;
  return n;
}

export const prng = mulberry32;

/** Brute-force squared distance from point p to segment a–b (all in mm). */
export function dist2PointSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const w = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const l2 = d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!;
  let t = l2 > 0 ? (w[0]! * d[0]! + w[1]! * d[1]! + w[2]! * d[2]!) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  const e = [w[0]! - t * d[0]!, w[1]! - t * d[1]!, w[2]! - t * d[2]!];
  return e[0]! * e[0]! + e[1]! * e[1]! + e[2]! * e[2]!;
}

/** Brute force: indices of voxels within r of the polyline (points in continuous ijk), sphere brush. */
export function bruteSphere(map: LabelMap, points: Vec3[], r: number): number[] {
  const s = map.spacingMm;
  const mm = points.map((p) => [p[0] * s[0], p[1] * s[1], p[2] * s[2]] as Vec3);
  const out: number[] = [];
  forEachVoxel(map, (i, j, k, index) => {
    const x: Vec3 = [i * s[0], j * s[1], k * s[2]];
    let best = Infinity;
    for (let m = 0; m < Math.max(1, mm.length - 1); m++)
      best = Math.min(best, dist2PointSegment(x, mm[m]!, mm[Math.min(m + 1, mm.length - 1)]!));
    if (best <= r * r + BRUSH_TOLERANCE_MM2) out.push(index);
  });
  return out;
}
