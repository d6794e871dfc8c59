import type { LabelMap } from '../../shared/domain/label-map.ts';
import { patchSize, type EditPatch } from '../../shared/imaging/mask-tools/edit-patch.ts';
import { UndoStack } from '../../shared/imaging/mask-tools/undo-stack.ts';
import { KeySliceLog, marksOfPatch } from '../../shared/imaging/mask-tools/key-slice-log.ts';
import type { ViewPlane } from '../../shared/imaging/mask-tools/view-plane.ts';
import { createStore } from '../app/store.ts';
import { ChangedBlocks } from '../../shared/imaging/mask-tools/changed-blocks.ts';

export interface EditSessionState {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly undoLabel: string | null;
  readonly redoLabel: string | null;
  /** Edits since the last save or load. */
  readonly dirty: boolean;
  /** False while the loaded version is signed (frozen) and not being amended. */
  readonly editable: boolean;
}

type PatchListener = (patch: EditPatch, direction: 'forward' | 'backward') => void;

/**
 * The lesion label map being edited and its undo/redo history of exact patches. Tools mutate
 * `labels.data` through shared mask operations and hand the resulting patch to {@link commit};
 * undo/redo go through the shared `UndoStack` (verified, byte-exact, memory-bounded). Every change
 * is announced to listeners (burden tally, 3D view, slice redraw) with the patch only, so they
 * update in O(changed voxels).
 */
export class EditSession {
  private readonly history: UndoStack;
  private readonly listeners = new Set<PatchListener>();
  /** Absolute history position (applied + dropped steps) of the last save; -1 when unreachable. */
  private savedPos = 0;
  readonly state = createStore<EditSessionState>({
    canUndo: false,
    canRedo: false,
    undoLabel: null,
    redoLabel: null,
    dirty: false,
    editable: true,
  });

  /**
   * Blocks written since the labels were opened or last saved (every announced change marks them):
   * a save sends only these (`renderer/features/review/save-lesion-labels.ts`).
   */
  readonly changedSinceSave: ChangedBlocks;

  constructor(
    readonly labels: LabelMap,
    editable: boolean,
  ) {
    this.history = new UndoStack({ voxelCount: labels.data.length });
    this.changedSinceSave = new ChangedBlocks(labels.data.length);
    this.listeners.add((patch) => this.changedSinceSave.mark(patch.indices));
    this.publish(editable);
  }

  private get position(): number {
    return this.history.undoCount + this.history.droppedCount;
  }

  /** Slices the reader edited with 2-D tools, per view and class, tied to the undo history. */
  private readonly keySliceLog = new KeySliceLog();

  /**
   * Key slices of "fill between slices" in `plane`, per class (label → sorted slice indices):
   * the slices of the applied (not undone) 2-D edits that changed that class.
   */
  keySlices(plane: ViewPlane): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const label of this.keySliceLog.labels(this.position, plane)) {
      out.set(label, this.keySliceLog.keySlices(this.position, plane, label));
    }
    return out;
  }

  /** Subscribes to label changes; returns the unsubscribe function. */
  onPatch(fn: PatchListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Announces a partial change already written to the labels (a brush stroke in progress). */
  preview(patch: EditPatch): void {
    if (patchSize(patch) > 0) for (const fn of this.listeners) fn(patch, 'forward');
  }

  /**
   * Records a finished edit (already written to the labels and, when `announced`, already
   * reported through {@link preview}) as one undo step. `keySlice` names the slice of a 2-D edit
   * made by hand: it becomes a key slice of "fill between slices" for every class the patch
   * changed, for as long as this step stays applied.
   */
  commit(label: string, patch: EditPatch, announced = false, keySlice?: { readonly plane: ViewPlane; readonly slice: number }): void {
    if (patchSize(patch) === 0) return;
    if (!this.state.get().editable) throw new Error('this version is signed and read-only: nothing can change it');
    if (!announced) for (const fn of this.listeners) fn(patch, 'forward');
    if (this.position < this.savedPos) this.savedPos = -1; // the saved state was on the discarded redo branch
    this.keySliceLog.record(this.position, keySlice ? marksOfPatch(patch, keySlice.plane, keySlice.slice) : []);
    this.history.push(patch, label, Date.now());
    this.publish();
  }

  /** Steps back one edit; refused (false) while read-only: a signed version never changes. */
  undo(): boolean {
    if (!this.state.get().editable) return false;
    const e = this.history.undo(this.labels.data);
    if (!e) return false;
    for (const fn of this.listeners) fn(e.patch, 'backward');
    this.publish();
    return true;
  }

  redo(): boolean {
    if (!this.state.get().editable) return false;
    const e = this.history.redo(this.labels.data);
    if (!e) return false;
    for (const fn of this.listeners) fn(e.patch, 'forward');
    this.publish();
    return true;
  }

  /** Marks the current labels as saved (dirty = false); history stays available. */
  markSaved(): void {
    this.savedPos = this.position;
    this.publish();
  }

  setEditable(editable: boolean): void {
    this.publish(editable);
  }

  private publish(editable = this.state.get().editable): void {
    const items = this.history.history();
    const n = this.history.undoCount;
    this.state.set({
      // read-only (signed) labels: no undo or redo at all
      canUndo: editable && this.history.canUndo,
      canRedo: editable && this.history.canRedo,
      undoLabel: items[n - 1]?.name ?? null,
      redoLabel: items[n]?.name ?? null,
      dirty: this.position !== this.savedPos,
      editable,
    });
  }
}
