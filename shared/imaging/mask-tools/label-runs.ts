import type { Vec3 } from '../../domain/volume.ts';
import { zeroWordScanner } from './zero-word-skip.ts';

/**
 * Connected components of a label map as runs: a run is a maximal stretch of one non-zero label
 * along i inside one grid row (j, k). Runs are listed in increasing linear-index order.
 * A component is the set of runs of the SAME label connected through 6- or 26-neighbourhoods;
 * its id is its first run (smallest run index, i.e. the component's first voxel in scan order).
 */
export interface LabelRuns {
  readonly runCount: number;
  /** Row `j + k·nJ` of each run. */
  readonly runRow: Int32Array;
  /** First and last i (inclusive) of each run. */
  readonly runStart: Int32Array;
  readonly runEnd: Int32Array;
  readonly runLabel: Uint8Array;
  /** Component id (its first run's index) of each run. */
  readonly runComponent: Int32Array;
  /** Voxel count per component id (meaningful only at component ids). */
  readonly componentSize: Uint32Array;
}

/**
 * Labels the connected components of the labels flagged in `selected` (length 256, non-zero =
 * analysed). One pass finds the runs (skipping zero bytes four at a time), a second unites
 * overlapping runs of the previous rows with union-find: O(voxels/4 + runs), memory O(runs).
 */
export function labelRuns(labels: Uint8Array, size: Vec3, connectivity: 6 | 26, selected: Uint8Array): LabelRuns {
  const nI = size[0],
    nJ = size[1],
    nK = size[2];
  const n = nI * nJ * nK;
  let capacity = 4096;
  let runRow = new Int32Array(capacity);
  let runStart = new Int32Array(capacity);
  let runEnd = new Int32Array(capacity);
  let runLabel = new Uint8Array(capacity);
  let runCount = 0;

  const scan = zeroWordScanner(labels);
  let p = 0;
  while (p < n) {
    p = scan.next(p);
    if (p >= n) break;
    const label = labels[p]!;
    if (label === 0 || selected[label] === 0) {
      p++;
      continue;
    }
    const row = Math.floor(p / nI);
    const rowEnd = (row + 1) * nI;
    let q = p + 1;
    while (q < rowEnd && labels[q] === label) q++;
    if (runCount === capacity) {
      capacity *= 2;
      runRow = grow32(runRow, capacity);
      runStart = grow32(runStart, capacity);
      runEnd = grow32(runEnd, capacity);
      const l = new Uint8Array(capacity);
      l.set(runLabel);
      runLabel = l;
    }
    runRow[runCount] = row;
    runStart[runCount] = p - row * nI;
    runEnd[runCount] = q - 1 - row * nI;
    runLabel[runCount] = label;
    runCount++;
    p = q;
  }

  const nRows = nJ * nK;
  const rowFirst = new Int32Array(nRows + 1);
  for (let r = 0; r < runCount; r++) rowFirst[runRow[r]! + 1]!++;
  for (let r = 0; r < nRows; r++) rowFirst[r + 1]! += rowFirst[r]!;

  const parent = new Int32Array(runCount);
  for (let r = 0; r < runCount; r++) parent[r] = r;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  };
  // Rows already visited that can touch row (j, k): (dj, dk) with dk < 0, or dk = 0 and dj < 0.
  const previous: readonly (readonly [number, number])[] =
    connectivity === 26
      ? [
          [-1, 0],
          [-1, -1],
          [0, -1],
          [1, -1],
        ]
      : [
          [-1, 0],
          [0, -1],
        ];
  const reach = connectivity === 26 ? 1 : 0;
  for (let row = 0; row < nRows; row++) {
    const first = rowFirst[row]!,
      last = rowFirst[row + 1]!;
    if (first === last) continue;
    const j = row % nJ,
      k = (row - j) / nJ;
    for (const [dj, dk] of previous) {
      const j2 = j + dj,
        k2 = k + dk;
      if (j2 < 0 || j2 >= nJ || k2 < 0) continue;
      const row2 = j2 + k2 * nJ;
      let y = rowFirst[row2]!;
      const yEnd = rowFirst[row2 + 1]!;
      for (let x = first; x < last && y < yEnd; x++) {
        const lo = runStart[x]! - reach,
          hi = runEnd[x]! + reach;
        while (y < yEnd && runEnd[y]! < lo) y++;
        for (let z = y; z < yEnd && runStart[z]! <= hi; z++) {
          if (runLabel[z] !== runLabel[x]) continue;
          const a = find(x),
            b = find(z);
          if (a < b) parent[b] = a;
          else if (b < a) parent[a] = b;
        }
      }
    }
  }

  const runComponent = new Int32Array(runCount);
  const componentSize = new Uint32Array(runCount);
  for (let r = 0; r < runCount; r++) {
    const root = find(r);
    runComponent[r] = root;
    componentSize[root]! += runEnd[r]! - runStart[r]! + 1;
  }
  return {
    runCount,
    runRow: runRow.subarray(0, runCount),
    runStart: runStart.subarray(0, runCount),
    runEnd: runEnd.subarray(0, runCount),
    runLabel: runLabel.subarray(0, runCount),
    runComponent,
    componentSize,
  };
}

function grow32(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}
