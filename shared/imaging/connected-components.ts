import type { Vec3 } from '../domain/volume.ts';

/** Result of {@link labelComponents}. */
export interface Components {
  /** Component id per voxel (0 = background, 1…count), same layout as the mask (i fastest). */
  readonly labels: Int32Array;
  /** Number of components. */
  readonly count: number;
  /** Voxel count per component; index 0 is unused (0). */
  readonly sizes: Float64Array;
}

/** Growable Int32 buffer (no per-run objects). */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/**
 * 6-connected (face-neighbour) components of the non-zero voxels of a 3-D mask, by run-length
 * labelling with union–find on runs: each row (fixed j, k) is split into runs of set voxels, each
 * run is united with the overlapping runs of row j−1 (same slice) and of row j in slice k−1.
 * Cost is one pass over the voxels plus work proportional to the number of runs.
 * With `size[2] = 1` this is 4-connected 2-D labelling. Labels are numbered in scan order.
 */
export function labelComponents(mask: Uint8Array, size: Vec3): Components {
  const [nx, ny, nz] = size;
  const nRows = ny * nz;
  const runStart = new IntBuffer(nRows * 2);
  const runEnd = new IntBuffer(nRows * 2);
  const rowFirst = new Int32Array(nRows + 1);
  // Pass 1: runs per row.
  for (let row = 0; row < nRows; row++) {
    rowFirst[row] = runStart.length;
    const base = row * nx;
    let i = 0;
    while (i < nx) {
      while (i < nx && mask[base + i] === 0) i++;
      if (i >= nx) break;
      const s = i;
      while (i < nx && mask[base + i] !== 0) i++;
      runStart.push(s);
      runEnd.push(i);
    }
  }
  rowFirst[nRows] = runStart.length;
  const nRuns = runStart.length;
  const rs = runStart.data;
  const re = runEnd.data;
  const parent = new Int32Array(nRuns);
  for (let r = 0; r < nRuns; r++) parent[r] = r;
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[x] !== r) {
      const nx2 = parent[x] as number;
      parent[x] = r;
      x = nx2;
    }
    return r;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    if (ra < rb) parent[rb] = ra;
    else parent[ra] = rb;
  };
  const link = (row: number, other: number): void => {
    let p = rowFirst[other] as number;
    const pEnd = rowFirst[other + 1] as number;
    for (let r = rowFirst[row] as number, rEnd = rowFirst[row + 1] as number; r < rEnd; r++) {
      const s = rs[r] as number;
      const e = re[r] as number;
      while (p < pEnd && (re[p] as number) <= s) p++;
      let q = p;
      while (q < pEnd && (rs[q] as number) < e) {
        union(r, q);
        q++;
      }
    }
  };
  // Pass 2: unite overlapping runs of the previous row and the previous slice.
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = j + k * ny;
      if (rowFirst[row] === rowFirst[row + 1]) continue;
      if (j > 0) link(row, row - 1);
      if (k > 0) link(row, row - ny);
    }
  }
  // Pass 3: compact labels and paint.
  const runLabel = new Int32Array(nRuns);
  let count = 0;
  for (let r = 0; r < nRuns; r++) {
    const root = find(r);
    if (root === r) runLabel[r] = ++count;
    else runLabel[r] = runLabel[root] as number;
  }
  const labels = new Int32Array(nx * ny * nz);
  const sizes = new Float64Array(count + 1);
  for (let row = 0; row < nRows; row++) {
    const base = row * nx;
    for (let r = rowFirst[row] as number, rEnd = rowFirst[row + 1] as number; r < rEnd; r++) {
      const l = runLabel[r] as number;
      const s = rs[r] as number;
      const e = re[r] as number;
      labels.fill(l, base + s, base + e);
      sizes[l] = (sizes[l] as number) + (e - s);
    }
  }
  return { labels, count, sizes };
}

/** Ids of components sorted by decreasing size (ties: lower id first). */
export function componentsBySize(c: Components): number[] {
  const ids: number[] = [];
  for (let l = 1; l <= c.count; l++) ids.push(l);
  return ids.sort((a, b) => (c.sizes[b] as number) - (c.sizes[a] as number) || a - b);
}

/** A mask (0/1) of the single largest component of `mask`, or all zeros when the mask is empty. */
export function largestComponent(mask: Uint8Array, size: Vec3): Uint8Array {
  const c = labelComponents(mask, size);
  const out = new Uint8Array(mask.length);
  const best = componentsBySize(c)[0];
  if (best === undefined) return out;
  const lab = c.labels;
  for (let p = 0; p < out.length; p++) if (lab[p] === best) out[p] = 1;
  return out;
}
