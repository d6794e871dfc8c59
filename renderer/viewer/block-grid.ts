import { zeroWordScanner } from '../../shared/imaging/mask-tools/zero-word-skip.ts';

/**
 * Occupancy of one label class on a coarse grid of f×f×f blocks: `count[block]` = voxels of the
 * class inside the block. Kept up to date from edit patches (O(changed voxels)); the surface is
 * the 0.5-occupancy iso-surface, so it follows the true boundary without staircase blocks.
 */
export class BlockGrid {
  readonly dims: [number, number, number];
  readonly counts: Uint16Array;
  readonly frac: Float32Array;

  constructor(
    readonly size: readonly [number, number, number],
    readonly f: number,
  ) {
    // One block of padding on each side closes surfaces that touch the volume border.
    this.dims = [Math.ceil(size[0] / f) + 2, Math.ceil(size[1] / f) + 2, Math.ceil(size[2] / f) + 2];
    this.counts = new Uint16Array(this.dims[0] * this.dims[1] * this.dims[2]);
    this.frac = new Float32Array(this.counts.length);
  }

  blockOf(idx: number): number {
    const nI = this.size[0];
    const nIJ = nI * this.size[1];
    const k = Math.floor(idx / nIJ);
    const r = idx - k * nIJ;
    const j = Math.floor(r / nI);
    const i = r - j * nI;
    const f = this.f;
    return Math.floor(i / f) + 1 + (Math.floor(j / f) + 1) * this.dims[0] + (Math.floor(k / f) + 1) * this.dims[0] * this.dims[1];
  }

  /** Occupancy fraction per block (block volume clipped at the border is approximated by f³). */
  fractions(): Float32Array {
    const inv = 1 / (this.f * this.f * this.f);
    for (let b = 0; b < this.counts.length; b++) this.frac[b] = this.counts[b]! * inv;
    return this.frac;
  }
}

/**
 * Fills the block counts of several grids of one geometry from a label array in a single pass:
 * `byValue[v]` is the grid that counts voxels of value `v` (null: not counted). Zero words are
 * skipped, so the cost follows the labelled voxels, not the volume.
 */
export function fillGrids(labels: Uint8Array, byValue: readonly (BlockGrid | null)[]): void {
  const grid = byValue.find((g): g is BlockGrid => g !== null);
  if (!grid) return;
  for (const g of byValue) g?.counts.fill(0);
  const [nI, nJ, nK] = grid.size;
  const f = grid.f;
  const [dI, dJ] = grid.dims;
  const bI = Int32Array.from({ length: nI }, (_, i) => Math.floor(i / f) + 1);
  const bJ = Int32Array.from({ length: nJ }, (_, j) => (Math.floor(j / f) + 1) * dI);
  const bK = Int32Array.from({ length: nK }, (_, k) => (Math.floor(k / f) + 1) * dI * dJ);
  const nIJ = nI * nJ;
  const n = labels.length;
  const scan = zeroWordScanner(labels);
  for (let p = scan.next(0); p < n; p = scan.next(p + 1)) {
    const g = byValue[labels[p]!];
    if (!g) continue;
    const k = Math.floor(p / nIJ);
    const r = p - k * nIJ;
    const j = Math.floor(r / nI);
    g.counts[bK[k]! + bJ[j]! + bI[r - j * nI]!]!++;
  }
}
