import type { CaseId } from '../../../shared/domain/ids.ts';
import { AutosavePolicy } from './autosave-policy.ts';
import { AutosaveStore, type AutosaveRecovery, type EditState } from './autosave-store.ts';

/** Timer functions (injectable so tests can drive time). */
export interface AutosaveClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: AutosaveClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface AutosaveServiceOptions {
  readonly dataDir: string;
  /** Idle time after the last edit before a save (default 5 s). */
  readonly idleMs?: number;
  /** Longest time edits stay unsaved while the reader keeps editing (default 60 s). */
  readonly maxDelayMs?: number;
  readonly clock?: AutosaveClock;
  /** Called when a write fails (disk full, …); the state stays dirty and is retried. */
  readonly onError?: (caseId: CaseId, error: unknown) => void;
}

interface Slot {
  readonly policy: AutosavePolicy;
  snapshot: () => EditState;
  timer: unknown;
}

/**
 * Autosave of in-progress edits: each case being edited has a slot; {@link edited} marks it dirty
 * (the state itself is taken lazily from `snapshot` when the save happens), and once the policy
 * says a save is due (idle `idleMs`, or `maxDelayMs` of continuous editing) the state is written
 * atomically by the {@link AutosaveStore}. {@link committed} drops the slot after the edits were
 * saved as a label version; {@link recoverAutosave} reads it back on the next start.
 */
export class AutosaveService {
  readonly store: AutosaveStore;
  readonly #clock: AutosaveClock;
  readonly #slots = new Map<CaseId, Slot>();
  readonly #opts: AutosaveServiceOptions;
  /** Writes done (tests, diagnostics). */
  writes = 0;

  constructor(opts: AutosaveServiceOptions) {
    this.#opts = opts;
    this.store = new AutosaveStore(opts.dataDir);
    this.#clock = opts.clock ?? realClock;
  }

  /** Records an edit of `caseId`; `snapshot` returns the current edit state when a save runs. */
  edited(caseId: CaseId, snapshot: () => EditState): void {
    let slot = this.#slots.get(caseId);
    if (!slot) {
      slot = { policy: new AutosavePolicy({ ...(this.#opts.idleMs !== undefined ? { idleMs: this.#opts.idleMs } : {}), ...(this.#opts.maxDelayMs !== undefined ? { maxDelayMs: this.#opts.maxDelayMs } : {}) }), snapshot, timer: null };
      this.#slots.set(caseId, slot);
    }
    slot.snapshot = snapshot;
    slot.policy.noteEdit(this.#clock.now());
    this.#schedule(caseId, slot);
  }

  /** True when `caseId` has edits not yet autosaved. */
  dirty(caseId: CaseId): boolean {
    return this.#slots.get(caseId)?.policy.dirty ?? false;
  }

  /** Saves now every dirty slot (case switch, app quit). */
  flush(caseId?: CaseId): void {
    for (const [id, slot] of this.#slots) if ((caseId === undefined || id === caseId) && slot.policy.dirty) this.#save(id, slot);
  }

  /** The edits of `caseId` were saved as a label version: the autosave slot is removed. */
  committed(caseId: CaseId): void {
    const slot = this.#slots.get(caseId);
    if (slot?.timer) this.#clock.clearTimeout(slot.timer);
    this.#slots.delete(caseId);
    this.store.discard(caseId);
  }

  /** The autosaved edit state of `caseId` from an earlier session, if any. */
  recoverAutosave(caseId: CaseId): AutosaveRecovery {
    return this.store.recover(caseId);
  }

  /** Cases with an autosave slot on disk. */
  pending(): CaseId[] {
    return this.store.list();
  }

  /** Stops the timers (after {@link flush} on quit). */
  dispose(): void {
    for (const slot of this.#slots.values()) if (slot.timer) this.#clock.clearTimeout(slot.timer);
    this.#slots.clear();
  }

  #schedule(caseId: CaseId, slot: Slot): void {
    if (slot.timer) this.#clock.clearTimeout(slot.timer);
    slot.timer = null;
    const wait = slot.policy.msUntilDue(this.#clock.now());
    if (wait === null) return;
    slot.timer = this.#clock.setTimeout(() => {
      slot.timer = null;
      if (slot.policy.due(this.#clock.now())) this.#save(caseId, slot);
      else this.#schedule(caseId, slot);
    }, wait);
  }

  #save(caseId: CaseId, slot: Slot): void {
    const seq = slot.policy.editSeq;
    try {
      const state = slot.snapshot();
      if (state.caseId !== caseId) throw new Error(`snapshot of case ${state.caseId} given for case ${caseId}`);
      this.store.write(state);
      this.writes++;
      slot.policy.noteSaved(seq, this.#clock.now());
    } catch (e) {
      this.#opts.onError?.(caseId, e);
      // Retry after a pause, not in a tight loop (a full disk stays full for a while).
      if (slot.timer) this.#clock.clearTimeout(slot.timer);
      slot.timer = this.#clock.setTimeout(() => {
        slot.timer = null;
        if (slot.policy.dirty) this.#save(caseId, slot);
      }, Math.max(1_000, slot.policy.idleMs));
      return;
    }
    if (slot.policy.dirty) this.#schedule(caseId, slot);
  }
}
