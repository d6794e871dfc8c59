import { AutosavePolicy } from './autosave-policy.ts';

/** Timer functions (injectable so tests can drive time; times in ms). */
export interface AutosaveClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutosaveSchedulerOptions {
  /** Quiet time after the last edit before a save (ms). */
  readonly idleMs: number;
  /** Longest time edits stay unsaved while the reader keeps editing (ms). */
  readonly maxDelayMs: number;
  readonly clock: AutosaveClock;
  /** Told of every failed save; the edits stay dirty and the save is retried after a pause. */
  readonly onError?: (error: unknown) => void;
}

/**
 * THE autosave implementation: runs {@link AutosavePolicy} (debounce `idleMs` with a maximum delay
 * `maxDelayMs`) over a clock and calls `save` when a save is due. Saves never overlap; an edit
 * made while one is in flight stays dirty and is saved by the next one; a failed save is retried
 * after max(1 s, idleMs), not in a loop. `save` takes the state to store itself (lazily).
 */
export class AutosaveScheduler {
  readonly policy: AutosavePolicy;
  /** Saves completed (tests, diagnostics). */
  writes = 0;
  readonly #save: () => Promise<void>;
  readonly #opts: AutosaveSchedulerOptions;
  #timer: unknown = null;
  #inFlight: Promise<void> | null = null;
  #disposed = false;

  constructor(save: () => Promise<void>, opts: AutosaveSchedulerOptions) {
    this.#save = save;
    this.#opts = opts;
    this.policy = new AutosavePolicy({ idleMs: opts.idleMs, maxDelayMs: opts.maxDelayMs });
  }

  /** True when there are edits not yet saved. */
  get dirty(): boolean {
    return this.policy.dirty;
  }

  /** Records an edit now and (re)schedules the save. */
  edited(): void {
    if (this.#disposed) return;
    this.policy.noteEdit(this.#opts.clock.now());
    if (!this.#inFlight) this.#schedule();
  }

  /** Saves now (whether or not the policy says so) and resolves when done (case switch, after a version save). */
  flush(): Promise<void> {
    this.#clear();
    return this.#run();
  }

  /** Stops the timers; nothing is saved afterwards. */
  dispose(): void {
    this.#disposed = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#timer !== null) this.#opts.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(delayMs?: number): void {
    this.#clear();
    if (this.#disposed) return;
    const wait = delayMs ?? this.policy.msUntilDue(this.#opts.clock.now());
    if (wait === null) return;
    this.#timer = this.#opts.clock.setTimeout(() => {
      this.#timer = null;
      if (delayMs !== undefined ? this.policy.dirty : this.policy.due(this.#opts.clock.now())) void this.#run();
      else this.#schedule();
    }, wait);
  }

  #run(): Promise<void> {
    if (this.#inFlight) return this.#inFlight.then(() => this.#run());
    const seq = this.policy.editSeq;
    // deferred one turn, so #inFlight is set before the save can settle
    const run = Promise.resolve().then(async () => {
      try {
        await this.#save();
        this.writes++;
        this.policy.noteSaved(seq, this.#opts.clock.now());
        this.#inFlight = null;
        if (this.policy.dirty) this.#schedule();
      } catch (e) {
        this.#inFlight = null;
        this.#opts.onError?.(e);
        this.#schedule(Math.max(1_000, this.policy.idleMs));
      }
    });
    this.#inFlight = run;
    return run;
  }
}
