import type { EditPatch } from './edit-patch.ts';
import { MaskToolError } from './mask-tool-error.ts';

/**
 * Collects the changes of one operation into an {@link EditPatch} with growable typed arrays
 * (no per-voxel objects). Voxels must be pushed in strictly increasing linear index order; every
 * operation in this folder visits voxels in that order.
 */
export class PatchBuilder {
  private indices: Uint32Array;
  private before: Uint8Array;
  private after: Uint8Array;
  private count = 0;
  private last = -1;

  /** `initialCapacity`: expected number of changes (an upper bound avoids any regrowth). */
  constructor(initialCapacity = 4096) {
    const capacity = Math.max(16, Math.floor(initialCapacity));
    this.indices = new Uint32Array(capacity);
    this.before = new Uint8Array(capacity);
    this.after = new Uint8Array(capacity);
  }

  /** Number of changes pushed so far. */
  get length(): number {
    return this.count;
  }

  /** Records that voxel `index` changes from `from` to `to` (callers skip unchanged voxels). */
  push(index: number, from: number, to: number): void {
    if (index <= this.last) {
      throw new MaskToolError('invalid-argument', `patch voxels must be pushed in increasing order (${index} after ${this.last})`);
    }
    if (this.count === this.indices.length) this.grow();
    this.indices[this.count] = index;
    this.before[this.count] = from;
    this.after[this.count] = to;
    this.count++;
    this.last = index;
  }

  /** The patch, trimmed to its length (the builder can keep being used afterwards). */
  build(): EditPatch {
    return {
      indices: this.indices.slice(0, this.count),
      before: this.before.slice(0, this.count),
      after: this.after.slice(0, this.count),
    };
  }

  private grow(): void {
    const capacity = this.indices.length * 2;
    const indices = new Uint32Array(capacity);
    indices.set(this.indices);
    const before = new Uint8Array(capacity);
    before.set(this.before);
    const after = new Uint8Array(capacity);
    after.set(this.after);
    this.indices = indices;
    this.before = before;
    this.after = after;
  }
}
