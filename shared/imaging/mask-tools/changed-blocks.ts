import { encodeLabelPatch, type PatchRun } from '../label-patch-format.ts';

/** Voxels per block: one row of a 512-wide slice (a brush stroke marks a few dozen blocks). */
export const CHANGED_BLOCK_VOXELS = 512;

/**
 * The blocks of a label map written since a point (the last save, or opening the version): what a
 * save has to send instead of the whole map. Every edit of an edit session is announced with its
 * patch (edits, undo, redo, previews of a stroke), and each announcement marks the blocks of its
 * voxels; the patch of a save then holds those blocks' current values (`shared/imaging/label-patch-format.ts`).
 * A block may hold voxels back at their saved value (an undone edit): the patch is still exact,
 * the store keeps only the voxels that differ. Memory: one byte per {@link CHANGED_BLOCK_VOXELS} voxels.
 */
export class ChangedBlocks {
  #marks: Uint8Array;
  #count = 0;

  constructor(
    readonly voxelCount: number,
    readonly blockVoxels = CHANGED_BLOCK_VOXELS,
  ) {
    if (!Number.isInteger(blockVoxels) || blockVoxels < 1) throw new RangeError('block size must be a positive integer');
    this.#marks = new Uint8Array(Math.ceil(voxelCount / blockVoxels));
  }

  /** Blocks marked. */
  get count(): number {
    return this.#count;
  }

  /** Marks the blocks of linear voxel indices (any order; out-of-range indices are a RangeError). */
  mark(indices: ArrayLike<number>): void {
    const b = this.blockVoxels;
    const marks = this.#marks;
    let last = -1;
    for (let m = 0; m < indices.length; m++) {
      const q = indices[m]!;
      if (!(q >= 0 && q < this.voxelCount)) throw new RangeError(`voxel index ${q} outside the map of ${this.voxelCount} voxels`);
      const k = Math.floor(q / b);
      if (k === last) continue;
      last = k;
      if (marks[k] === 0) {
        marks[k] = 1;
        this.#count++;
      }
    }
  }

  /** Marks every block (the whole map must be sent). */
  markAll(): void {
    this.#marks.fill(1);
    this.#count = this.#marks.length;
  }

  /**
   * Hands over the marks (for a save in flight) and starts afresh: edits made while the save runs
   * are marked anew. Give them back with {@link restore} when the save fails.
   */
  take(): ChangedBlocksMarks {
    const taken = { marks: this.#marks, count: this.#count };
    this.#marks = new Uint8Array(this.#marks.length);
    this.#count = 0;
    return taken;
  }

  /** Adds marks taken earlier back (their save failed: those blocks still differ from the saved version). */
  restore(taken: ChangedBlocksMarks): void {
    const marks = this.#marks;
    if (taken.marks.length !== marks.length) throw new RangeError('marks of another label map');
    for (let k = 0; k < marks.length; k++) {
      if (taken.marks[k] === 1 && marks[k] === 0) {
        marks[k] = 1;
        this.#count++;
      }
    }
  }

  /** The runs of voxels of the marked blocks (consecutive blocks merged), sorted. */
  runs(taken: ChangedBlocksMarks = { marks: this.#marks, count: this.#count }): PatchRun[] {
    const runs: PatchRun[] = [];
    const b = this.blockVoxels;
    const marks = taken.marks;
    for (let k = 0; k < marks.length; k++) {
      if (marks[k] === 0) continue;
      let e = k + 1;
      while (e < marks.length && marks[e] === 1) e++;
      const start = k * b;
      runs.push({ start, length: Math.min(this.voxelCount, e * b) - start });
      k = e;
    }
    return runs;
  }

  /** The patch bytes of the marked blocks with their current values in `labels` (a copy: later edits do not change it). */
  patchOf(labels: Uint8Array, taken?: ChangedBlocksMarks): Uint8Array {
    if (labels.length !== this.voxelCount) throw new RangeError(`label map has ${labels.length} voxels, the marks ${this.voxelCount}`);
    return encodeLabelPatch(this.runs(taken), labels);
  }
}

/** Marks handed over by {@link ChangedBlocks.take}. */
export interface ChangedBlocksMarks {
  readonly marks: Uint8Array;
  readonly count: number;
}
