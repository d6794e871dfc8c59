import { applyPatch, patchByteLength, validatePatch, type EditPatch } from './edit-patch.ts';
import { MaskToolError } from './mask-tool-error.ts';
import { decodeHistory, encodeHistory, type HistoryEntry } from './undo-history-codec.ts';

export type { HistoryEntry } from './undo-history-codec.ts';

/** Default memory bound of a history: 256 MiB (≈ 44 M changed voxels). */
export const DEFAULT_UNDO_MAX_BYTES = 256 * 1024 * 1024;

/** Bookkeeping bytes charged per entry on top of its arrays and name. */
const ENTRY_OVERHEAD_BYTES = 64;

/** A line of the history list shown to the reader. */
export interface HistoryItem {
  readonly name: string;
  readonly timeMs: number | undefined;
  /** Voxels the step changes. */
  readonly voxels: number;
  /** True for steps currently applied (undoable); false for undone (redoable) steps. */
  readonly applied: boolean;
}

/**
 * Named undo/redo over a whole editing session of one label map, bounded by memory.
 *
 * Each step is an exact `EditPatch`, so undo and redo restore byte-identical labels, and they
 * verify the label map still matches (a `patch-conflict` error leaves both the map and the
 * stack unchanged). Pushing a step discards the redo steps. When the history grows beyond
 * `maxBytes` (arrays + names + 64 bytes per step) the oldest steps are dropped; the newest step
 * is always kept, even if it alone exceeds the bound (redo steps are dropped, farthest first,
 * only when no applied step is left to drop). `toBytes`/`fromBytes` persist the whole
 * history, including the redo steps and the position, with the case.
 */
export class UndoStack {
  /** Voxel count of the label map this history belongs to. */
  readonly voxelCount: number;
  readonly maxBytes: number;
  private entries: HistoryEntry[] = [];
  private cursor = 0;
  private bytes = 0;
  private dropped = 0;

  constructor(options: { readonly voxelCount: number; readonly maxBytes?: number }) {
    if (!Number.isInteger(options.voxelCount) || options.voxelCount < 1 || options.voxelCount > 0xffffffff) {
      throw new MaskToolError('invalid-argument', `voxelCount must be a positive integer, got ${options.voxelCount}`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_UNDO_MAX_BYTES;
    if (!(maxBytes > 0)) throw new MaskToolError('invalid-argument', `maxBytes must be positive, got ${maxBytes}`);
    this.voxelCount = options.voxelCount;
    this.maxBytes = maxBytes;
  }

  /** Steps that can be undone. */
  get undoCount(): number {
    return this.cursor;
  }

  /** Steps that can be redone. */
  get redoCount(): number {
    return this.entries.length - this.cursor;
  }

  get canUndo(): boolean {
    return this.cursor > 0;
  }

  get canRedo(): boolean {
    return this.cursor < this.entries.length;
  }

  /** Bytes charged against `maxBytes` now. */
  get byteLength(): number {
    return this.bytes;
  }

  /** Steps dropped so far to stay within `maxBytes` (the reader can no longer undo them). */
  get droppedCount(): number {
    return this.dropped;
  }

  /**
   * Records an edit that has already been applied to the label map (every mask tool applies
   * its patch and returns it). Empty patches are ignored (returns false). Clears the redo steps.
   * Throws `invalid-argument` for a patch that breaks the `EditPatch` invariants.
   */
  push(patch: EditPatch, name: string, timeMs?: number): boolean {
    validatePatch(patch, this.voxelCount);
    if (patch.indices.length === 0) return false;
    for (let e = this.cursor; e < this.entries.length; e++) this.bytes -= entryBytes(this.entries[e]!);
    this.entries.length = this.cursor;
    const entry: HistoryEntry = { name, patch, timeMs };
    this.entries.push(entry);
    this.cursor++;
    this.bytes += entryBytes(entry);
    this.evict();
    return true;
  }

  /** Undoes the latest applied step on `labels`; returns it, or null when there is none. */
  undo(labels: Uint8Array): HistoryEntry | null {
    if (this.cursor === 0) return null;
    this.checkLabels(labels);
    const entry = this.entries[this.cursor - 1]!;
    applyPatch(labels, entry.patch, 'backward');
    this.cursor--;
    return entry;
  }

  /** Re-applies the latest undone step on `labels`; returns it, or null when there is none. */
  redo(labels: Uint8Array): HistoryEntry | null {
    if (this.cursor === this.entries.length) return null;
    this.checkLabels(labels);
    const entry = this.entries[this.cursor]!;
    applyPatch(labels, entry.patch, 'forward');
    this.cursor++;
    return entry;
  }

  /** The history, oldest first, for a history panel. */
  history(): HistoryItem[] {
    return this.entries.map((entry, e) => ({
      name: entry.name,
      timeMs: entry.timeMs,
      voxels: entry.patch.indices.length,
      applied: e < this.cursor,
    }));
  }

  /** Forgets every step (e.g. after the label map is replaced). */
  clear(): void {
    this.entries = [];
    this.cursor = 0;
    this.bytes = 0;
  }

  /** The whole history as bytes (format: `encodeHistory`), to be stored with the case. */
  toBytes(): Uint8Array {
    return encodeHistory({
      voxelCount: this.voxelCount,
      maxBytes: this.maxBytes,
      entries: this.entries,
      cursor: this.cursor,
    });
  }

  /**
   * Restores a history written by {@link toBytes} for a label map of `voxelCount` voxels.
   * Throws `corrupt-history` for damaged bytes and `size-mismatch` for another grid.
   * `maxBytes` overrides the stored bound (older steps are dropped if needed).
   */
  static fromBytes(bytes: Uint8Array, voxelCount: number, maxBytes?: number): UndoStack {
    const snapshot = decodeHistory(bytes, voxelCount);
    const stack = new UndoStack({ voxelCount, maxBytes: maxBytes ?? snapshot.maxBytes });
    stack.entries = [...snapshot.entries];
    stack.cursor = snapshot.cursor;
    stack.bytes = stack.entries.reduce((sum, entry) => sum + entryBytes(entry), 0);
    stack.evict();
    return stack;
  }

  private evict(): void {
    // Oldest applied steps go first; only if none is left, the farthest redo steps.
    while (this.bytes > this.maxBytes && this.entries.length > 1) {
      const gone = this.cursor > 0 ? this.entries.shift()! : this.entries.pop()!;
      if (this.cursor > 0) this.cursor--;
      this.bytes -= entryBytes(gone);
      this.dropped++;
    }
  }

  private checkLabels(labels: Uint8Array): void {
    if (labels.length !== this.voxelCount) {
      throw new MaskToolError('size-mismatch', `this history belongs to a map of ${this.voxelCount} voxels, got ${labels.length}`);
    }
  }
}

function entryBytes(entry: HistoryEntry): number {
  return patchByteLength(entry.patch) + 2 * entry.name.length + ENTRY_OVERHEAD_BYTES;
}
