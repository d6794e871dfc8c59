import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { inferenceWorkerOptions } from '../inference/spawn-inference-worker.ts';
import type { FromComputeWorker, SerializedError, ToComputeWorker } from '../../workers/compute-protocol.ts';
import type { ComputeTaskMap, ComputeTaskName } from '../../workers/compute-tasks.ts';
import { ImportPathError } from '../analysis/import-any-path.ts';
import { isUserErrorKind, UserError } from '../../../shared/errors/user-error.ts';

/**
 * Lanes of the pool. `bulk`: long work of jobs (import decoding, lung mask, burden of an AI run),
 * on threads of lowered priority (`lowerThreadPriority`); `interactive`: what a reader waits for
 * (saving labels, loading labels, autosave); `background`: work after a reply (the stored burden
 * and QC of a just-saved version). Each lane has its own threads, so a save never queues behind a
 * lung mask or behind the burden of the previous save.
 */
export type ComputeLane = 'bulk' | 'interactive' | 'background';

/** Nice steps the bulk lane's threads are lowered by (Linux). */
export const BULK_NICE_DELTA = 10;
/** Nice steps of the background lane: below the reader's saves and loads, above an AI run. */
export const BACKGROUND_NICE_DELTA = 5;

/** Options of one task. */
export interface RunTaskOptions {
  readonly lane?: ComputeLane;
  /** Buffers of the input to move to the worker (the caller must not use them afterwards). */
  readonly transfer?: readonly ArrayBuffer[];
  /** Aborting stops the task at once (its thread is terminated and replaced). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, message: string) => void;
}

/** Threads of the bulk lane: one per core but one (the main thread's), 1 to 4. */
export function defaultBulkThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

interface Pending {
  readonly message: ToComputeWorker;
  readonly transfer: readonly ArrayBuffer[];
  readonly options: RunTaskOptions;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker | null;
  busy: Pending | null;
}

/** A pool of compute worker threads (`electron/workers/compute-worker.ts`) in two lanes, started lazily. */
export class ComputePool {
  readonly #lanes: Record<ComputeLane, { slots: Slot[]; queue: Pending[] }>;
  readonly #workerUrl: URL | undefined;
  #nextId = 1;
  #closed = false;

  constructor(
    opts: {
      readonly bulkThreads?: number;
      readonly interactiveThreads?: number;
      readonly backgroundThreads?: number;
      readonly workerUrl?: URL;
    } = {},
  ) {
    const slots = (n: number): Slot[] => Array.from({ length: Math.max(1, n) }, () => ({ worker: null, busy: null }));
    this.#lanes = {
      bulk: { slots: slots(opts.bulkThreads ?? defaultBulkThreads()), queue: [] },
      interactive: { slots: slots(opts.interactiveThreads ?? 1), queue: [] },
      background: { slots: slots(opts.backgroundThreads ?? 1), queue: [] },
    };
    this.#workerUrl = opts.workerUrl;
  }

  /** Threads per lane (diagnostics). */
  get size(): Record<ComputeLane, number> {
    return {
      bulk: this.#lanes.bulk.slots.length,
      interactive: this.#lanes.interactive.slots.length,
      background: this.#lanes.background.slots.length,
    };
  }

  /** Runs `task` on a worker of its lane (queued when all are busy). */
  run<K extends ComputeTaskName>(
    task: K,
    input: ComputeTaskMap[K]['input'],
    options: RunTaskOptions = {},
  ): Promise<ComputeTaskMap[K]['output']> {
    if (this.#closed) return Promise.reject(new Error('the compute pool is closed'));
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const message = { type: 'task', id: this.#nextId++, task, input } as ToComputeWorker;
      const onAbort = (): void => {
        const q = lane.queue.indexOf(p);
        if (q >= 0) {
          lane.queue.splice(q, 1);
          p.reject(abortError(signal as AbortSignal));
          return;
        }
        const slot = lane.slots.find((s) => s.busy === p);
        if (slot) this.#kill(slot, abortError(signal as AbortSignal), options.lane ?? 'bulk');
      };
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      const p: Pending = {
        message,
        transfer: options.transfer ?? [],
        options,
        resolve: (v) => {
          done();
          (resolve as (v: unknown) => void)(v);
        },
        reject: (e) => {
          done();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      };
      const lane = this.#lanes[options.lane ?? 'bulk'];
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.queue.push(p);
      this.#pump(options.lane ?? 'bulk');
    });
  }

  /** Terminates every thread; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const stops: Promise<number>[] = [];
    for (const lane of Object.values(this.#lanes)) {
      for (const p of lane.queue.splice(0)) p.reject(new Error('the compute pool is closed'));
      for (const slot of lane.slots) {
        slot.busy?.reject(new Error('the compute pool is closed'));
        slot.busy = null;
        if (slot.worker) stops.push(slot.worker.terminate());
        slot.worker = null;
      }
    }
    await Promise.all(stops);
  }

  #pump(laneName: ComputeLane): void {
    const lane = this.#lanes[laneName];
    for (const slot of lane.slots) {
      if (slot.busy || lane.queue.length === 0) continue;
      const p = lane.queue.shift();
      if (!p) break;
      slot.busy = p;
      const worker = slot.worker ?? this.#spawn(slot, laneName);
      try {
        // a busy worker keeps the process alive (CLI awaiting a task); an idle one never does
        worker.ref();
        worker.postMessage(p.message, [...p.transfer]);
      } catch (e) {
        slot.busy = null;
        p.reject(e);
      }
    }
  }

  #spawn(slot: Slot, laneName: ComputeLane): Worker {
    const workerData = { niceDelta: laneName === 'bulk' ? BULK_NICE_DELTA : laneName === 'background' ? BACKGROUND_NICE_DELTA : 0 };
    const worker = this.#workerUrl
      ? new Worker(this.#workerUrl, {
          ...inferenceWorkerOptions(this.#workerUrl.pathname.endsWith('.ts')),
          name: 'lung-burden-compute',
          workerData,
        })
      : new Worker(
          new URL('../../workers/compute-worker.ts', import.meta.url),
          /* @vite-ignore */ { ...inferenceWorkerOptions(import.meta.url.endsWith('.ts')), name: 'lung-burden-compute', workerData },
        );
    worker.on('message', (m: FromComputeWorker) => {
      const p = slot.busy;
      if (!p || p.message.id !== m.id) return;
      if (m.type === 'progress') {
        p.options.onProgress?.(m.done, m.total, m.message);
        return;
      }
      slot.busy = null;
      worker.unref();
      if (m.type === 'result') p.resolve(m.value);
      else p.reject(rebuildError(m.error));
      this.#pump(laneName);
    });
    worker.on('error', (e: Error) => this.#kill(slot, new Error(`compute worker crashed: ${e.message}`), laneName));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      const p = slot.busy;
      slot.busy = null;
      p?.reject(new Error(`compute worker exited unexpectedly (exit code ${code})`));
      this.#pump(laneName);
    });
    slot.worker = worker;
    return worker;
  }

  #kill(slot: Slot, error: unknown, laneName: ComputeLane): void {
    const p = slot.busy;
    const w = slot.worker;
    slot.busy = null;
    slot.worker = null;
    p?.reject(error);
    if (w) void w.terminate();
    this.#pump(laneName);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('cancelled', 'AbortError');
}

/** The worker's error as the main side would have thrown it (class for import errors, `code` kept). */
function rebuildError(s: SerializedError): Error {
  if (s.name === 'ImportPathError') return new ImportPathError(s.message, Array.isArray(s.issues) ? s.issues : []);
  const e = s.kind !== undefined && isUserErrorKind(s.kind) ? new UserError(s.code ?? s.kind, s.kind, s.message) : new Error(s.message);
  e.name = s.name;
  if (s.code !== undefined && !(e instanceof UserError)) Object.defineProperty(e, 'code', { value: s.code, enumerable: true });
  return e;
}
