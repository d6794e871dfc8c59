/** A minimal observable value: one per feature (no god store). */
export interface Store<T> {
  get(): T;
  set(next: T): void;
  update(fn: (prev: T) => T): void;
  /** Calls `fn` on every change; returns the unsubscribe function. */
  subscribe(fn: (value: T) => void): () => void;
}

/** Creates a store holding `initial`. Listeners run synchronously after each change. */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  const set = (next: T): void => {
    if (Object.is(next, value)) return;
    value = next;
    for (const fn of [...listeners]) fn(value);
  };
  return {
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
