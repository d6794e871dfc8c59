import type { Vec3 } from '../domain/volume.ts';
import type { Components } from './connected-components.ts';

/**
 * The region outside the scanner's reconstruction field of view, as one in-plane mask (`nx·ny`,
 * 1 = outside) shared by all slices, or null when the series shows none.
 *
 * Outside the field of view a CT holds a padding value (−2048, −3024, or −1024 once an importer
 * maps padding to air): the same number in every slice, where real air is noisy. A position
 * (i, j) is outside when it holds the padding value (≤ −1000 HU, the value most corners of the
 * first slice hold) in every slice, and it is
 * 4-connected in-plane, through such positions, to the border of the slice. Fewer than 1 % of
 * the slice, fewer than 2 slices, or an inner edge that is not a circle (a least-squares circle
 * fit with a residual over 2 % of its radius: a phantom's or a clipped scan's constant air
 * around a body outline is no field of view) give null.
 *
 * Why: when the field of view cuts the body, the chest wall is open at the cut (and a lung cut by
 * it is open to the outside): a mask built from "air not connected to the border, inside a closed
 * body outline" loses the lung. Knowing the field of view lets the lung mask close the body along
 * its edge ({@link fieldOfViewContact}).
 */
export function outsideFieldOfView(hu: Int16Array, size: Vec3): Uint8Array | null {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  if (nz < 2) return null;
  // the padding value: the one most corners of the slice hold
  const corners = [0, nx - 1, (ny - 1) * nx, slice - 1].map((q) => hu[q] as number);
  const pad = corners.reduce((best, v) => (corners.filter((x) => x === v).length > corners.filter((x) => x === best).length ? v : best));
  if (pad > -1000) return null;
  const same = new Uint8Array(slice);
  for (let q = 0; q < slice; q++) {
    const v = hu[q] as number;
    if (v !== pad) continue;
    let k = 1;
    for (; k < nz; k++) if ((hu[q + k * slice] as number) !== v) break;
    if (k === nz) same[q] = 1;
  }
  // keep what is connected to the slice border
  const out = new Uint8Array(slice);
  const stack = new Int32Array(slice);
  let sp = 0;
  const push = (q: number): void => {
    if (same[q] === 1 && out[q] === 0) {
      out[q] = 1;
      stack[sp++] = q;
    }
  };
  for (let i = 0; i < nx; i++) {
    push(i);
    push(i + (ny - 1) * nx);
  }
  for (let j = 0; j < ny; j++) {
    push(j * nx);
    push(j * nx + nx - 1);
  }
  let count = 0;
  while (sp > 0) {
    const q = stack[--sp] as number;
    count++;
    const i = q % nx;
    if (i > 0) push(q - 1);
    if (i < nx - 1) push(q + 1);
    if (q >= nx) push(q - nx);
    if (q + nx < slice) push(q + nx);
  }
  if (count < 0.01 * slice) return null;
  return edgeIsCircle(out, nx, ny) ? out : null;
}

/** Whether the in-field pixels 4-adjacent to `outside` lie on a circle (Kåsa least-squares fit). */
function edgeIsCircle(outside: Uint8Array, nx: number, ny: number): boolean {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const q = i + j * nx;
      if (outside[q] !== 0) continue;
      if (
        (i > 0 && outside[q - 1] !== 0) ||
        (i < nx - 1 && outside[q + 1] !== 0) ||
        (j > 0 && outside[q - nx] !== 0) ||
        (j < ny - 1 && outside[q + nx] !== 0)
      ) {
        xs.push(i);
        ys.push(j);
      }
    }
  }
  const m = xs.length;
  if (m < 12) return false;
  // minimise Σ (x² + y² + a x + b y + c)²: normal equations of a 3×3 system
  let sxx = 0,
    sxy = 0,
    sx = 0,
    syy = 0,
    sy = 0,
    sxz = 0,
    syz = 0,
    sz = 0;
  for (let t = 0; t < m; t++) {
    const x = xs[t] as number;
    const y = ys[t] as number;
    const z = -(x * x + y * y);
    sxx += x * x;
    sxy += x * y;
    sx += x;
    syy += y * y;
    sy += y;
    sxz += x * z;
    syz += y * z;
    sz += z;
  }
  const sol = solve3([sxx, sxy, sx, sxy, syy, sy, sx, sy, m], [sxz, syz, sz]);
  if (!sol) return false;
  const [a, b, c] = sol;
  const cx = -a / 2;
  const cy = -b / 2;
  const r2 = cx * cx + cy * cy - c;
  if (!(r2 > 0)) return false;
  const r = Math.sqrt(r2);
  let ss = 0;
  for (let t = 0; t < m; t++) {
    const d = Math.hypot((xs[t] as number) - cx, (ys[t] as number) - cy) - r;
    ss += d * d;
  }
  return Math.sqrt(ss / m) <= 0.02 * r;
}

/** Solves the 3×3 system `A x = y` (A row-major) by Cramer's rule; null when singular. */
function solve3(A: readonly number[], y: readonly number[]): [number, number, number] | null {
  const det = (M: readonly number[]): number =>
    (M[0] as number) * ((M[4] as number) * (M[8] as number) - (M[5] as number) * (M[7] as number)) -
    (M[1] as number) * ((M[3] as number) * (M[8] as number) - (M[5] as number) * (M[6] as number)) +
    (M[2] as number) * ((M[3] as number) * (M[7] as number) - (M[4] as number) * (M[6] as number));
  const d = det(A);
  if (Math.abs(d) < 1e-9) return null;
  const col = (c: number): number[] => A.map((v, idx) => (idx % 3 === c ? (y[Math.floor(idx / 3)] as number) : v));
  return [det(col(0)) / d, det(col(1)) / d, det(col(2)) / d];
}

/**
 * For every component of `components` (3-D, on the grid `size`), the share of its outline that
 * runs along the field-of-view edge: summed over slices, its pixels 4-adjacent to the outside
 * region, divided by its outline pixels (pixels with an in-plane 4-neighbour outside the
 * component).
 *
 * Air around the patient lies between the body and the edge: about half of its outline runs
 * along the edge. A lung opened by a field-of-view cut is walled by the chest on all sides but
 * the short arc of the cut. Index 0 (background) is unused.
 */
export function fieldOfViewContact(components: Components, outside: Uint8Array, size: Vec3): Float64Array {
  const [nx, ny, nz] = size;
  const slice = nx * ny;
  const lab = components.labels;
  const edgeCount = new Float64Array(components.count + 1);
  const outline = new Float64Array(components.count + 1);
  for (let k = 0; k < nz; k++) {
    const base = k * slice;
    for (let q = 0; q < slice; q++) {
      const l = lab[base + q] as number;
      if (l === 0) continue;
      const i = q % nx;
      const j = (q - i) / nx;
      const p = base + q;
      if (
        i === 0 ||
        i === nx - 1 ||
        j === 0 ||
        j === ny - 1 ||
        lab[p - 1] !== l ||
        lab[p + 1] !== l ||
        lab[p - nx] !== l ||
        lab[p + nx] !== l
      ) {
        outline[l] = (outline[l] as number) + 1;
        if (
          (i > 0 && outside[q - 1] !== 0) ||
          (i < nx - 1 && outside[q + 1] !== 0) ||
          (j > 0 && outside[q - nx] !== 0) ||
          (j < ny - 1 && outside[q + nx] !== 0)
        )
          edgeCount[l] = (edgeCount[l] as number) + 1;
      }
    }
  }
  const out = new Float64Array(components.count + 1);
  for (let l = 1; l <= components.count; l++) {
    const o = outline[l] as number;
    out[l] = o > 0 ? (edgeCount[l] as number) / o : 0;
  }
  return out;
}
