import { MaskToolError } from './mask-tool-error.ts';

/**
 * A sparse, exact record of one edit of a label map: the voxels that changed, with their label
 * before and after. Undo applies `before`, redo applies `after`, so both are byte-exact and cost
 * O(changed voxels), never O(volume).
 *
 * Invariants (every producer in this folder guarantees them; {@link validatePatch} checks them):
 * - `indices` are linear voxel indices (`i + j*nI + k*nI*nJ`, see `shared/domain/volume.ts`),
 *   strictly increasing;
 * - `indices`, `before` and `after` have the same length;
 * - `before[n] !== after[n]` (unchanged voxels are not listed).
 *
 * Memory: 6 bytes per changed voxel.
 */
export interface EditPatch {
  readonly indices: Uint32Array;
  readonly before: Uint8Array;
  readonly after: Uint8Array;
}

/** `forward` re-does the edit (writes `after`), `backward` undoes it (writes `before`). */
export type PatchDirection = 'forward' | 'backward';

/** A patch that changes nothing. */
export function emptyPatch(): EditPatch {
  return { indices: new Uint32Array(0), before: new Uint8Array(0), after: new Uint8Array(0) };
}

/** Number of voxels a patch changes. */
export function patchSize(patch: EditPatch): number {
  return patch.indices.length;
}

/** Bytes held by the patch's three arrays (6 per changed voxel). */
export function patchByteLength(patch: EditPatch): number {
  return patch.indices.byteLength + patch.before.byteLength + patch.after.byteLength;
}

/**
 * Checks the {@link EditPatch} invariants against a label map of `voxelCount` voxels and throws a
 * {@link MaskToolError} (`invalid-argument`) naming the first violation.
 */
export function validatePatch(patch: EditPatch, voxelCount: number): void {
  const { indices, before, after } = patch;
  const n = indices.length;
  if (before.length !== n || after.length !== n) {
    throw new MaskToolError(
      'invalid-argument',
      `patch arrays differ in length (indices ${n}, before ${before.length}, after ${after.length})`,
    );
  }
  let previous = -1;
  for (let m = 0; m < n; m++) {
    const index = indices[m]!;
    if (index <= previous) {
      throw new MaskToolError('invalid-argument', `patch indices are not strictly increasing at entry ${m}`);
    }
    if (index >= voxelCount) {
      throw new MaskToolError('invalid-argument', `patch index ${index} is outside a map of ${voxelCount} voxels`);
    }
    if (before[m] === after[m]) {
      throw new MaskToolError('invalid-argument', `patch entry ${m} (voxel ${index}) does not change the label`);
    }
    previous = index;
  }
}

/**
 * Applies a patch to `labels` in place. By default it first verifies that every listed voxel
 * currently holds the value the patch expects (`before` going forward, `after` going backward)
 * and throws a `patch-conflict` {@link MaskToolError} without touching `labels` when one does
 * not, so a history that got out of step with its label map is reported instead of corrupting
 * it. `verify: false` skips that pass.
 */
export function applyPatch(
  labels: Uint8Array,
  patch: EditPatch,
  direction: PatchDirection,
  options: { readonly verify?: boolean } = {},
): void {
  const { indices } = patch;
  const n = indices.length;
  if (patch.before.length !== n || patch.after.length !== n) {
    throw new MaskToolError('invalid-argument', 'patch arrays differ in length');
  }
  if (n === 0) return;
  if (indices[n - 1]! >= labels.length) {
    throw new MaskToolError('size-mismatch', `patch touches voxel ${indices[n - 1]!} but the label map has ${labels.length} voxels`);
  }
  const expected = direction === 'forward' ? patch.before : patch.after;
  const written = direction === 'forward' ? patch.after : patch.before;
  if (options.verify ?? true) {
    for (let m = 0; m < n; m++) {
      const index = indices[m]!;
      if (labels[index] !== expected[m]) {
        throw new MaskToolError(
          'patch-conflict',
          `cannot apply patch ${direction}: voxel ${index} holds label ${labels[index]!}, the patch expects ${expected[m]!}`,
        );
      }
    }
  }
  for (let m = 0; m < n; m++) labels[indices[m]!] = written[m]!;
}

/**
 * The single patch equivalent to applying `patches` in order (e.g. the per-pointer-move pieces of
 * one brush stroke, merged into one undo step). Voxels whose net change is nothing are dropped.
 * Throws `patch-conflict` when the patches are not consecutive (a later patch expects a value an
 * earlier one did not leave). Cost O(total entries × log(patch count)).
 */
export function composePatches(patches: readonly EditPatch[]): EditPatch {
  if (patches.length === 0) return emptyPatch();
  let level: EditPatch[] = patches.slice();
  while (level.length > 1) {
    const next: EditPatch[] = [];
    for (let m = 0; m + 1 < level.length; m += 2) next.push(composeTwo(level[m]!, level[m + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** `first` then `second`, merged by a linear walk over both sorted index lists. */
function composeTwo(first: EditPatch, second: EditPatch): EditPatch {
  const na = first.indices.length;
  const nb = second.indices.length;
  const indices = new Uint32Array(na + nb);
  const before = new Uint8Array(na + nb);
  const after = new Uint8Array(na + nb);
  let a = 0;
  let b = 0;
  let n = 0;
  while (a < na || b < nb) {
    const ia = a < na ? first.indices[a]! : Infinity;
    const ib = b < nb ? second.indices[b]! : Infinity;
    if (ia < ib) {
      indices[n] = ia;
      before[n] = first.before[a]!;
      after[n++] = first.after[a++]!;
    } else if (ib < ia) {
      indices[n] = ib;
      before[n] = second.before[b]!;
      after[n++] = second.after[b++]!;
    } else {
      if (first.after[a] !== second.before[b]) {
        throw new MaskToolError(
          'patch-conflict',
          `patches are not consecutive: voxel ${ia} becomes ${first.after[a]!} but the next patch expects ${second.before[b]!}`,
        );
      }
      const from = first.before[a++]!;
      const to = second.after[b++]!;
      if (from !== to) {
        indices[n] = ia;
        before[n] = from;
        after[n++] = to;
      }
    }
  }
  return { indices: indices.slice(0, n), before: before.slice(0, n), after: after.slice(0, n) };
}
