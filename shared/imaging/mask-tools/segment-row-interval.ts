// The capsule (swept ball) of one brush segment, row by row: the voxels of a grid row that a brush
// of radius √r2 (mm) covers while its centre moves along the segment (see rasterizeBrush).

/** An integer voxel range [lo, hi] along a grid row (written by {@link segmentRowInterval}). */
export interface RowInterval {
  lo: number;
  hi: number;
}

/** Squared mm distance from (x, y, z) to the segment A + t·D, t ∈ [0, 1]. */
function dist2ToSegment(
  x: number,
  y: number,
  z: number,
  ax: number,
  ay: number,
  az: number,
  dx: number,
  dy: number,
  dz: number,
  l2: number,
): number {
  let px = x - ax,
    py = y - ay,
    pz = z - az;
  if (l2 > 0) {
    let t = (px * dx + py * dy + pz * dz) / l2;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    px -= t * dx;
    py -= t * dy;
    pz -= t * dz;
  }
  return px * px + py * py + pz * pz;
}

/**
 * Writes to `out` the integer u range [lo, hi] ⊂ [uMin, uMax] of the row (v = vmm, w = wmm) whose
 * voxel centres (u·su) lie within √r2 of the segment A + t·D (mm, t ∈ [0, 1]); false when empty. The capsule is the union
 * of the balls at both ends and the finite cylinder between them, each of which meets the row in
 * an interval; their hull is the (convex) capsule's interval. The ends are then checked against
 * the exact distance test so rounding can never add or drop a boundary voxel.
 */
export function segmentRowInterval(
  au: number,
  av: number,
  aw: number,
  du: number,
  dv: number,
  dw: number,
  l2: number,
  vmm: number,
  wmm: number,
  su: number,
  r2: number,
  uMin: number,
  uMax: number,
  out: RowInterval,
): boolean {
  let xmin = Infinity,
    xmax = -Infinity;
  const wy = vmm - av,
    wz = wmm - aw;
  const restA = r2 - wy * wy - wz * wz;
  if (restA >= 0) {
    const h = Math.sqrt(restA);
    xmin = au - h;
    xmax = au + h;
  }
  if (l2 > 0) {
    const wyB = wy - dv,
      wzB = wz - dw;
    const restB = r2 - wyB * wyB - wzB * wzB;
    if (restB >= 0) {
      const h = Math.sqrt(restB);
      xmin = Math.min(xmin, au + du - h);
      xmax = Math.max(xmax, au + du + h);
    }
    // Cylinder: with a = x − au, t(a) = (a·du + c)/l2 ∈ [0, 1] and perpendicular distance² ≤ r2.
    const c = wy * dv + wz * dw;
    let smin = -Infinity,
      smax = Infinity;
    if (du > 0) {
      smin = -c / du;
      smax = (l2 - c) / du;
    } else if (du < 0) {
      smin = (l2 - c) / du;
      smax = -c / du;
    } else if (c < 0 || c > l2) {
      smin = Infinity;
    }
    if (smin <= smax) {
      const gamma = wy * wy + wz * wz - (c * c) / l2 - r2;
      const alpha = (dv * dv + dw * dw) / l2;
      let qmin = Infinity,
        qmax = -Infinity;
      if (alpha > 1e-12) {
        const beta = (-du * c) / l2;
        const disc = beta * beta - alpha * gamma;
        if (disc >= 0) {
          const sq = Math.sqrt(disc);
          qmin = (-beta - sq) / alpha;
          qmax = (-beta + sq) / alpha;
        }
      } else if (gamma <= 0) {
        qmin = -Infinity;
        qmax = Infinity;
      }
      qmin = Math.max(qmin, smin);
      qmax = Math.min(qmax, smax);
      if (qmin <= qmax) {
        xmin = Math.min(xmin, au + qmin);
        xmax = Math.max(xmax, au + qmax);
      }
    }
  }
  if (!(xmin <= xmax)) return false;

  // The exact test at voxel u is dist2ToSegment(u·su, …) ≤ r2 (inlined calls, no closure).
  let lo = Math.max(uMin, Math.ceil(xmin / su));
  let hi = Math.min(uMax, Math.floor(xmax / su));
  if (lo > hi) {
    // A sliver thinner than one voxel: only its middle voxel can qualify.
    const mid = Math.round((xmin + xmax) / (2 * su));
    if (mid < uMin || mid > uMax || dist2ToSegment(mid * su, vmm, wmm, au, av, aw, du, dv, dw, l2) > r2) return false;
    lo = hi = mid;
  }
  while (lo > uMin && dist2ToSegment((lo - 1) * su, vmm, wmm, au, av, aw, du, dv, dw, l2) <= r2) lo--;
  while (lo <= hi && dist2ToSegment(lo * su, vmm, wmm, au, av, aw, du, dv, dw, l2) > r2) lo++;
  while (hi < uMax && dist2ToSegment((hi + 1) * su, vmm, wmm, au, av, aw, du, dv, dw, l2) <= r2) hi++;
  while (hi >= lo && dist2ToSegment(hi * su, vmm, wmm, au, av, aw, du, dv, dw, l2) > r2) hi--;
  if (lo > hi) return false;
  out.lo = lo;
  out.hi = hi;
  return true;
}
