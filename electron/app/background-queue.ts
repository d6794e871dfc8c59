/**
 * Work the main process does after answering a call (e.g. recording the burden of a saved
 * version): run one at a time, in order, on a later turn of the event loop; failures are reported,
 * never thrown. After `stop()` (app closing) queued work is dropped.
 */
export class BackgroundQueue {
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly onError: (what: string, error: unknown) => void) {}

  /** Queues `task`; an async task (work handed to a worker thread) holds the queue until it settles. */
  run(what: string, task: () => unknown): void {
    this.tail = this.tail.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            if (this.stopped) {
              resolve();
              return;
            }
            let result: unknown;
            try {
              result = task();
            } catch (e) {
              this.onError(what, e);
              resolve();
              return;
            }
            Promise.resolve(result).then(
              () => resolve(),
              (e: unknown) => {
                this.onError(what, e);
                resolve();
              },
            );
          }),
        ),
    );
  }

  /** Resolves when everything queued so far has run. */
  idle(): Promise<void> {
    return this.tail;
  }

  stop(): void {
    this.stopped = true;
  }
}
