import type { EditPatch } from './edit-patch.ts';
import type { ViewPlane } from './view-plane.ts';

/** One slice a reader edited by hand, for one class, in one view. */
export interface KeySliceMark {
  readonly plane: ViewPlane;
  /** Label value the edit changed in that slice (added or removed). */
  readonly label: number;
  /** Slice index along the view's normal axis. */
  readonly slice: number;
}

/**
 * The key slices of "fill between slices", remembered per view and per class and tied to the
 * undo history, so that interpolation uses exactly the hand edits that are applied now.
 *
 * Each mark belongs to the history step that made it, identified by its absolute position
 * (undo count + steps dropped from the history, i.e. the step is applied while
 * `position > step`). Undoing a step therefore forgets its key slices, redoing it brings them
 * back, and a new step after an undo discards the marks of the abandoned redo branch, exactly
 * as `UndoStack.push` discards the redo steps.
 */
export class KeySliceLog {
  private marks: { readonly step: number; readonly mark: KeySliceMark }[] = [];

  /**
   * Records the marks of the step about to be pushed at absolute history `position` (the
   * position before the push). Marks of steps at or after it (the redo branch) are discarded.
   */
  record(position: number, marks: readonly KeySliceMark[]): void {
    this.marks = this.marks.filter((m) => m.step < position);
    for (const mark of marks) this.marks.push({ step: position, mark });
  }

  /**
   * Sorted key slices of `label` in `plane` for the steps applied at absolute history
   * `position`.
   */
  keySlices(position: number, plane: ViewPlane, label: number): number[] {
    const set = new Set<number>();
    for (const { step, mark } of this.marks) {
      if (step < position && mark.plane === plane && mark.label === label) set.add(mark.slice);
    }
    return [...set].sort((a, b) => a - b);
  }

  /** Labels with at least one applied key slice in `plane`, ascending. */
  labels(position: number, plane: ViewPlane): number[] {
    const set = new Set<number>();
    for (const { step, mark } of this.marks) {
      if (step < position && mark.plane === plane) set.add(mark.label);
    }
    return [...set].sort((a, b) => a - b);
  }

  /** Forgets everything (a new label map was loaded). */
  clear(): void {
    this.marks = [];
  }
}

/**
 * The key-slice marks of a 2-D edit made in `slice` of `plane`: one per non-zero label the
 * patch added or removed (a GGO brush over high opacity with "overwrite all" is an intentional
 * edit of both classes in that slice; a GGO brush over empty voxels is not an edit of high
 * opacity).
 */
export function marksOfPatch(patch: EditPatch, plane: ViewPlane, slice: number): KeySliceMark[] {
  const seen = new Uint8Array(256);
  const n = patch.indices.length;
  for (let m = 0; m < n; m++) {
    seen[patch.before[m]!] = 1;
    seen[patch.after[m]!] = 1;
  }
  const marks: KeySliceMark[] = [];
  for (let label = 1; label < 256; label++) if (seen[label] !== 0) marks.push({ plane, label, slice });
  return marks;
}
