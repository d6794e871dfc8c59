import type { Vec3 } from '../domain/volume.ts';

/**
 * Binary morphology on `Uint8Array` masks (0 = off, 1 = on; the box operations need exactly 0/1
 * because they count with arithmetic) laid out like a
 * {@link Volume} (i fastest). Structuring elements are boxes given as half-widths in voxels
 * per axis, applied separably with running window counts: cost is a few operations per voxel
 * whatever the radius. All functions can be restricted to an index box (`Box`); voxels outside
 * the box are left untouched and, for erosion, count as "on" (so the box edge does not erode).
 */

/** Half-open index box `[i0,i1) × [j0,j1) × [k0,k1)`. */
export interface Box {
  readonly i0: number;
  readonly i1: number;
  readonly j0: number;
  readonly j1: number;
  readonly k0: number;
  readonly k1: number;
}

/** The whole grid as a {@link Box}. */
export function fullBox(size: Vec3): Box {
  return { i0: 0, i1: size[0], j0: 0, j1: size[1], k0: 0, k1: size[2] };
}

/** Bounding box of the non-zero voxels (null when none), grown by `margin` voxels per axis and clipped. */
export function boundingBox(mask: Uint8Array, size: Vec3, margin: Vec3 = [0, 0, 0]): Box | null {
  const [nx, ny, nz] = size;
  let i0 = nx;
  let i1 = -1;
  let j0 = ny;
  let j1 = -1;
  let k0 = nz;
  let k1 = -1;
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let rowAny = false;
      for (let i = 0; i < nx; i++, p++) {
        if (mask[p] !== 0) {
          if (i < i0) i0 = i;
          if (i > i1) i1 = i;
          rowAny = true;
        }
      }
      if (rowAny) {
        if (j < j0) j0 = j;
        if (j > j1) j1 = j;
        if (k < k0) k0 = k;
        if (k > k1) k1 = k;
      }
    }
  }
  if (i1 < 0) return null;
  return {
    i0: Math.max(0, i0 - margin[0]),
    i1: Math.min(nx, i1 + 1 + margin[0]),
    j0: Math.max(0, j0 - margin[1]),
    j1: Math.min(ny, j1 + 1 + margin[1]),
    k0: Math.max(0, k0 - margin[2]),
    k1: Math.min(nz, k1 + 1 + margin[2]),
  };
}

/**
 * One separable pass along `axis` with a window of half-width `r`: dilation sets a voxel when any
 * voxel in the window is on; erosion keeps it only when every in-box voxel of the window is on.
 * Writes 0/1 into `dst` inside the box (`dst` may not alias `src`). Along i the window count runs
 * along each row; along j and k whole rows are processed at once with one count per column, so
 * memory is always read in storage order.
 */
function boxPass(src: Uint8Array, dst: Uint8Array, size: Vec3, axis: 0 | 1 | 2, r: number, erode: boolean, box: Box): void {
  const [nx, ny] = size;
  const { i0, i1, j0, j1, k0, k1 } = box;
  const rowLen = i1 - i0;
  if (axis === 0) {
    const n = rowLen;
    for (let k = k0; k < k1; k++) {
      for (let j = j0; j < j1; j++) {
        const start = i0 + j * nx + k * nx * ny;
        let count = 0;
        for (let t = 0; t < r && t < n; t++) count += src[start + t] as number;
        // head (window clipped on the left), middle, tail (clipped on the right)
        for (let t = 0; t < n; t++) {
          if (t + r < n) count += src[start + t + r] as number;
          if (t > r) count -= src[start + t - r - 1] as number;
          if (erode) {
            const lo = t - r < 0 ? 0 : t - r;
            const hi = t + r >= n ? n - 1 : t + r;
            dst[start + t] = count === hi - lo + 1 ? 1 : 0;
          } else {
            dst[start + t] = count > 0 ? 1 : 0;
          }
        }
      }
    }
    return;
  }
  // axis 1 (rows within a slice) or axis 2 (slices): lines are whole rows
  const stride = axis === 1 ? nx : nx * ny;
  const lo = axis === 1 ? j0 : k0;
  const hi = axis === 1 ? j1 : k1;
  const n = hi - lo;
  const count = new Int32Array(rowLen);
  const outer0 = axis === 1 ? k0 : j0;
  const outer1 = axis === 1 ? k1 : j1;
  const outerStride = axis === 1 ? nx * ny : nx;
  for (let o = outer0; o < outer1; o++) {
    const base = i0 + o * outerStride + lo * stride;
    count.fill(0);
    for (let t = 0; t < r && t < n; t++) {
      const row = base + t * stride;
      for (let i = 0; i < rowLen; i++) count[i] = (count[i] as number) + (src[row + i] as number);
    }
    for (let t = 0; t < n; t++) {
      if (t + r < n) {
        const row = base + (t + r) * stride;
        for (let i = 0; i < rowLen; i++) count[i] = (count[i] as number) + (src[row + i] as number);
      }
      if (t > r) {
        const row = base + (t - r - 1) * stride;
        for (let i = 0; i < rowLen; i++) count[i] = (count[i] as number) - (src[row + i] as number);
      }
      const out = base + t * stride;
      if (erode) {
        const wlo = t - r < 0 ? 0 : t - r;
        const whi = t + r >= n ? n - 1 : t + r;
        const full = whi - wlo + 1;
        for (let i = 0; i < rowLen; i++) dst[out + i] = count[i] === full ? 1 : 0;
      } else {
        for (let i = 0; i < rowLen; i++) dst[out + i] = (count[i] as number) > 0 ? 1 : 0;
      }
    }
  }
}

function separable(mask: Uint8Array, size: Vec3, radius: Vec3, erode: boolean, box: Box): Uint8Array {
  let a = mask.slice();
  let b = mask.slice();
  for (const axis of [0, 1, 2] as const) {
    if (radius[axis] <= 0) continue;
    boxPass(a, b, size, axis, radius[axis], erode, box);
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/** Box dilation with half-widths `radius` (voxels per axis), inside `box` (default: everywhere). */
export function dilateBox(mask: Uint8Array, size: Vec3, radius: Vec3, box: Box = fullBox(size)): Uint8Array {
  return separable(mask, size, radius, false, box);
}

/** Box erosion with half-widths `radius`; the box edge does not erode (outside counts as on). */
export function erodeBox(mask: Uint8Array, size: Vec3, radius: Vec3, box: Box = fullBox(size)): Uint8Array {
  return separable(mask, size, radius, true, box);
}

/** Box closing (dilation then erosion) with half-widths `radius`, inside `box`. */
export function closeBox(mask: Uint8Array, size: Vec3, radius: Vec3, box: Box = fullBox(size)): Uint8Array {
  return erodeBox(dilateBox(mask, size, radius, box), size, radius, box);
}

/**
 * Fills the holes of a mask slice by slice (k fixed): every off pixel that is not 4-connected,
 * through off pixels, to the edge of the slice's bounding box of on pixels becomes `value`.
 * Modifies `mask` in place and returns it. `value` defaults to 1. With `box`, only the voxels in
 * the box are looked at (the mask must be empty outside it).
 */
export function fillHolesSlices(mask: Uint8Array, size: Vec3, value = 1, box: Box = fullBox(size)): Uint8Array {
  const [nx, ny] = size;
  const slice = nx * ny;
  const stack = new Int32Array(slice);
  const outside = new Uint8Array(slice);
  for (let k = box.k0; k < box.k1; k++) {
    const base = k * slice;
    // bounding box of the slice
    let i0 = nx;
    let i1 = -1;
    let j0 = ny;
    let j1 = -1;
    for (let j = box.j0; j < box.j1; j++) {
      const row = base + j * nx;
      for (let i = box.i0; i < box.i1; i++) {
        if (mask[row + i] !== 0) {
          if (i < i0) i0 = i;
          if (i > i1) i1 = i;
          if (j < j0) j0 = j;
          j1 = j;
        }
      }
    }
    if (i1 < 0 || i1 - i0 < 2 || j1 - j0 < 2) continue;
    // flood the off pixels from the bounding-box frame (4-connected, explicit stack)
    let sp = 0;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        if (j !== j0 && j !== j1 && i !== i0 && i !== i1) continue;
        const q = i + j * nx;
        if (mask[base + q] === 0 && outside[q] === 0) {
          outside[q] = 1;
          stack[sp++] = q;
        }
      }
    }
    while (sp > 0) {
      const q = stack[--sp] as number;
      const i = q % nx;
      const j = (q - i) / nx;
      let r = q - 1;
      if (i > i0 && mask[base + r] === 0 && outside[r] === 0) {
        outside[r] = 1;
        stack[sp++] = r;
      }
      r = q + 1;
      if (i < i1 && mask[base + r] === 0 && outside[r] === 0) {
        outside[r] = 1;
        stack[sp++] = r;
      }
      r = q - nx;
      if (j > j0 && mask[base + r] === 0 && outside[r] === 0) {
        outside[r] = 1;
        stack[sp++] = r;
      }
      r = q + nx;
      if (j < j1 && mask[base + r] === 0 && outside[r] === 0) {
        outside[r] = 1;
        stack[sp++] = r;
      }
    }
    for (let j = j0; j <= j1; j++) {
      const row = j * nx;
      for (let i = i0; i <= i1; i++) {
        const q = row + i;
        if (outside[q] === 0 && mask[base + q] === 0) mask[base + q] = value;
        outside[q] = 0;
      }
    }
  }
  return mask;
}
