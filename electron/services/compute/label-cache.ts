import type { LabelKind } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';

/**
 * The raw labels of one known version, in shared memory: compute workers read them in place (no
 * copy crosses the thread boundary) to diff a save against them.
 */
export interface CachedLabels {
  readonly versionId: LabelVersionId;
  /** View over a SharedArrayBuffer; changed only by {@link LabelCache.advance} (under the key's lock). */
  readonly bytes: Uint8Array;
  readonly counts: readonly number[];
  /** sha256 of `bytes` (the version's). */
  readonly sha256: string;
  /** Patches between this version and its full snapshot (0: a full version). */
  readonly depth: number;
}

/**
 * The base a patch save diffs against: per case and label kind, the raw bytes of the version last
 * saved or opened, kept in shared memory (at most `capacity` maps, least recently used dropped).
 * Work on one key is serialized (`exclusive`) so a save never diffs against bytes another save is
 * changing. A miss only costs a full-snapshot save: the cache never decides what is stored.
 */
export class LabelCache {
  readonly #entries = new Map<string, CachedLabels>();
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(readonly capacity = 3) {}

  static key(caseId: CaseId, kind: LabelKind): string {
    return `${caseId}:${kind}`;
  }

  get(key: string): CachedLabels | undefined {
    const e = this.#entries.get(key);
    if (e) {
      this.#entries.delete(key);
      this.#entries.set(key, e);
    }
    return e;
  }

  /** Stores `entry` (its bytes must be a view over a SharedArrayBuffer of exactly its length). */
  set(key: string, entry: CachedLabels): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** The entry moves to `next` after `apply` turned its bytes into that version's (in place). */
  advance(key: string, from: CachedLabels, next: Omit<CachedLabels, 'bytes'>, apply: (bytes: Uint8Array) => void): void {
    if (this.#entries.get(key) !== from) return;
    try {
      apply(from.bytes);
    } catch {
      this.#entries.delete(key);
      return;
    }
    this.#entries.set(key, { ...next, bytes: from.bytes });
  }

  /** Runs `task` after every earlier task of `key` has settled (a per-key lock). */
  exclusive<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(key) ?? Promise.resolve();
    const run = prev.then(task, task);
    const settled = run.catch(() => undefined);
    this.#locks.set(key, settled);
    void settled.then(() => {
      if (this.#locks.get(key) === settled) this.#locks.delete(key);
    });
    return run;
  }
}

/** A fresh SharedArrayBuffer-backed copy of `labels` (made by the worker that has them). */
export function sharedCopy(labels: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(labels.length));
  out.set(labels);
  return out;
}
