/**
 * When to autosave in-progress edits (pure: no clock, no timers, no I/O; times in ms from any
 * monotonic origin). A save is due when there are unsaved edits and either the reader has been
 * idle for `idleMs` since the last edit, or `maxDelayMs` has passed since the first unsaved edit
 * (so a long uninterrupted session is still saved). An edit made while a save is in flight keeps
 * the state dirty (edits are counted by sequence number).
 *
 * The one autosave policy of the workstation: the renderer's autosave (`AutosaveScheduler`,
 * `renderer/features/review/autosave.ts`) runs it.
 */
export class AutosavePolicy {
  readonly idleMs: number;
  readonly maxDelayMs: number;
  #editSeq = 0;
  #savedSeq = 0;
  #lastEditAt = 0;
  #firstUnsavedAt: number | null = null;

  constructor(opts: { idleMs?: number; maxDelayMs?: number } = {}) {
    this.idleMs = Math.max(0, opts.idleMs ?? 5_000);
    this.maxDelayMs = Math.max(this.idleMs, opts.maxDelayMs ?? 60_000);
  }

  /** True when there are edits not yet autosaved. */
  get dirty(): boolean {
    return this.#editSeq !== this.#savedSeq;
  }

  /** Records an edit at `nowMs`; returns its sequence number. */
  noteEdit(nowMs: number): number {
    this.#editSeq++;
    this.#lastEditAt = nowMs;
    this.#firstUnsavedAt ??= nowMs;
    return this.#editSeq;
  }

  /** The sequence number a save started now would cover. */
  get editSeq(): number {
    return this.#editSeq;
  }

  /** Records that the state as of edit `seq` is safely stored (autosave or a real version save). */
  noteSaved(seq: number, nowMs: number): void {
    if (seq < this.#savedSeq) return;
    this.#savedSeq = Math.min(seq, this.#editSeq);
    this.#firstUnsavedAt = this.dirty ? nowMs : null;
  }

  /** Whether a save is due at `nowMs`. */
  due(nowMs: number): boolean {
    if (!this.dirty) return false;
    if (nowMs - this.#lastEditAt >= this.idleMs) return true;
    return this.#firstUnsavedAt !== null && nowMs - this.#firstUnsavedAt >= this.maxDelayMs;
  }

  /** Milliseconds from `nowMs` until a save becomes due (0 = now), or null when clean. */
  msUntilDue(nowMs: number): number | null {
    if (!this.dirty) return null;
    const idle = this.#lastEditAt + this.idleMs - nowMs;
    const cap = this.#firstUnsavedAt === null ? Infinity : this.#firstUnsavedAt + this.maxDelayMs - nowMs;
    return Math.max(0, Math.min(idle, cap));
  }
}
