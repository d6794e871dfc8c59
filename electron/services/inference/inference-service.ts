import type { Worker } from 'node:worker_threads';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { InferenceError } from '../../../shared/inference/inference-error.ts';
import type { FromWorker, RunRequest } from '../../workers/inference-protocol.ts';
import { providerCandidates } from './execution-providers.ts';
import type { ModelBundle } from './model-registry.ts';
import { spawnInferenceWorker } from './spawn-inference-worker.ts';
import { defaultThreadCount } from './thread-count.ts';
import type { InferenceLogger, RunLesionModelOptions, LesionModelResult, InferenceServiceOptions } from './inference-types.ts';
import { abortError, errorFromWorker } from './worker-run-errors.ts';
import { validateInput } from './validate-inference-input.ts';

export type {
  InferenceProgress,
  InferenceLogger,
  RunLesionModelOptions,
  InferenceTimings,
  LesionModelResult,
  InferenceServiceOptions,
} from './inference-types.ts';

const defaultLogger: InferenceLogger = (level, message) => (level === 'warn' ? console.warn : console.error)(`[inference] ${message}`);

/**
 * How long a cancelled run may take to reach its next batch before its worker is terminated. Terminating
 * a thread inside onnxruntime-node aborts the process, so this is only for a worker that hangs.
 */
export const CANCEL_GRACE_MS = 60_000;

/**
 * Runs the lesion model on cases in a worker thread (onnxruntime-node off the main thread). Keeps
 * one warm worker (and its onnxruntime session) between runs; runs are queued, one at a time.
 * A cancelled run stops at its next batch and keeps the worker; a crashed run (or one that ignores
 * cancellation for {@link CANCEL_GRACE_MS}) terminates it, and the next run starts a fresh one.
 * Results are not stored anywhere: the case store calls this and saves label version 1.
 */
export class InferenceService {
  #worker: Worker | null = null;
  /** The run in progress: its cancellation flag and a promise that settles with it. */
  #current: { readonly cancel: Int32Array; readonly settled: Promise<unknown> } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #nextRunId = 1;
  readonly #workerUrl: URL | undefined;
  readonly #logger: InferenceLogger;
  readonly #onWorkerExit: ((threadId: number, exitCode: number) => void) | undefined;
  readonly #cancelGraceMs: number;

  constructor(options: InferenceServiceOptions = {}) {
    this.#workerUrl = options.workerUrl;
    this.#logger = options.logger ?? defaultLogger;
    this.#onWorkerExit = options.onWorkerExit;
    this.#cancelGraceMs = options.cancelGraceMs ?? CANCEL_GRACE_MS;
  }

  /** Thread id of the warm worker, or null when none is running (for diagnostics and tests). */
  get workerThreadId(): number | null {
    return this.#worker?.threadId ?? null;
  }

  /**
   * Segments the lesions of one case. The volume must be LPS-reoriented (`reorientToLps`); the lung
   * mask (0 outside, non-zero inside) must be on the same grid. Slices without lung are not run;
   * labels outside the lung are background. With `lungMask = null` every slice is run and labels are
   * kept inside the body crop box.
   */
  run(volume: Volume, lungMask: LabelMap | null, bundle: ModelBundle, options: RunLesionModelOptions = {}): Promise<LesionModelResult> {
    let started = false;
    const task = this.#queue.then(() => {
      started = true;
      return this.#run(volume, lungMask, bundle, options);
    });
    this.#queue = task.catch(() => undefined);
    const { signal } = options;
    if (!signal) return task;
    // a run still waiting for its turn rejects as soon as it is cancelled (and then never starts);
    // a started run rejects once its worker has stopped it (in #run)
    return new Promise<LesionModelResult>((resolve, reject) => {
      const onAbort = (): void => {
        if (!started) reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      task.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Cancels the run in progress (if any) and waits until it has stopped, then terminates the warm
   * worker (if any). The service can still be used afterwards.
   */
  async dispose(): Promise<void> {
    const current = this.#current;
    if (current) {
      Atomics.store(current.cancel, 0, 1);
      await current.settled;
    }
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.terminate();
  }

  async #run(volume: Volume, lungMask: LabelMap | null, bundle: ModelBundle, options: RunLesionModelOptions): Promise<LesionModelResult> {
    const t0 = performance.now();
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    validateInput(volume, lungMask, options);
    const logger = options.logger ?? this.#logger;
    const threads = options.threads ?? defaultThreadCount();
    const batchSize = options.batchSize ?? null;
    const providers = providerCandidates(options.provider ?? 'auto');

    let workerStartMs = 0;
    if (!this.#worker) {
      const ts = performance.now();
      const spawned = spawnInferenceWorker(this.#workerUrl);
      const threadId = spawned.threadId;
      // Permanent listeners: a worker that dies between runs must not leave a dead #worker behind
      // (the next run would wait forever) nor raise an unhandled 'error' event in the main process.
      spawned.on('error', (error: Error) => logger('warn', `inference worker error: ${error.message}`));
      spawned.once('exit', (code) => {
        if (this.#worker === spawned) this.#worker = null;
        this.#onWorkerExit?.(threadId, code);
      });
      this.#worker = spawned;
      workerStartMs = performance.now() - ts; // thread creation; module loading overlaps the first message
    }
    const worker = this.#worker;
    const runId = this.#nextRunId++;
    // Copies of the caller's buffers are MOVED to the worker (the caller keeps its own arrays),
    // or, with `transferInputs`, the caller's own buffers when they are whole ArrayBuffers.
    const own = (a: Int16Array | Uint8Array): boolean =>
      options.transferInputs === true && a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
    const volumeCopy = own(volume.data) ? volume.data : volume.data.slice();
    const maskCopy = lungMask ? (own(lungMask.data) ? lungMask.data : lungMask.data.slice()) : null;
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const request: RunRequest = {
      type: 'run',
      runId,
      modelPath: bundle.modelPath,
      sha256: bundle.metadata.sha256,
      metadata: bundle.metadata,
      providers,
      threads,
      batchSize,
      mirrorAverage: options.mirrorAverage ?? false,
      cancel: cancelFlag.buffer,
      size: [volume.size[0], volume.size[1], volume.size[2]],
      volume: volumeCopy,
      lungMask: maskCopy,
    };

    const settledRun = new Promise<LesionModelResult>((resolve, reject) => {
      let settled = false;
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const cleanup = (): void => {
        clearTimeout(graceTimer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('messageerror', onError);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (error: Error, kill: boolean): void => {
        if (settled) return;
        settled = true;
        cleanup();
        if (!kill) {
          reject(error);
          return;
        }
        if (this.#worker === worker) this.#worker = null;
        // reject only once the thread is really gone, so no partial work outlives the call
        worker.terminate().then(
          () => reject(error),
          () => reject(error),
        );
      };
      // Cancellation is cooperative: the worker stops before its next batch and answers 'cancelled'.
      const onAbort = (): void => {
        if (settled) return;
        Atomics.store(cancelFlag, 0, 1);
        graceTimer = setTimeout(() => fail(abortError(signal), true), this.#cancelGraceMs);
      };
      const onError = (error: unknown): void => {
        const message = error instanceof Error ? error.message : String(error);
        fail(
          new InferenceError('worker-crashed', `inference worker crashed: ${message}`, {
            cause: error,
          }),
          true,
        );
      };
      const onExit = (code: number): void => {
        if (this.#worker === worker) this.#worker = null;
        fail(
          new InferenceError('worker-crashed', `inference worker exited unexpectedly (exit code ${code}) before finishing the case`),
          false,
        );
      };
      const onMessage = (message: FromWorker): void => {
        if (message.runId !== runId) return;
        switch (message.type) {
          case 'log':
            logger(message.level, message.message);
            break;
          case 'progress':
            options.onProgress?.({ done: message.done, total: message.total, etaS: message.etaS });
            break;
          case 'error':
            fail(errorFromWorker(message.name, message.code, message.message), false);
            break;
          case 'cancelled':
            fail(abortError(signal), false);
            break;
          case 'result': {
            if (settled) return;
            if (Atomics.load(cancelFlag, 0) !== 0) {
              fail(abortError(signal), false); // cancelled after its last batch: no result either
              return;
            }
            settled = true;
            cleanup();
            const t = message.timings;
            resolve({
              labels: {
                size: volume.size,
                spacingMm: volume.spacingMm,
                originLps: volume.originLps,
                directionLps: volume.directionLps,
                data: message.labels,
              },
              meanEntropy: message.meanEntropy,
              provider: message.provider,
              timings: {
                workerStartMs,
                sessionMs: t.sessionMs,
                preprocessMs: t.preprocessMs,
                inferenceMs: t.inferenceMs,
                postprocessMs: t.postprocessMs,
                totalMs: performance.now() - t0,
                slicesTotal: t.slicesTotal,
                slicesInferred: t.slicesInferred,
                slicesSkipped: t.slicesSkipped,
                batches: t.batches,
              },
            });
            break;
          }
        }
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('messageerror', onError);
      worker.on('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      const transfer: ArrayBuffer[] = [volumeCopy.buffer as ArrayBuffer];
      if (maskCopy) transfer.push(maskCopy.buffer as ArrayBuffer);
      worker.postMessage(request, transfer);
    });
    const current = { cancel: cancelFlag, settled: settledRun.catch(() => undefined) };
    this.#current = current;
    void current.settled.then(() => {
      if (this.#current === current) this.#current = null;
    });
    return settledRun;
  }
}

/**
 * Runs the lesion model once on one case, in a fresh worker that is terminated afterwards (use an
 * {@link InferenceService} to keep the model loaded across cases). See {@link InferenceService.run}.
 */
export async function runLesionModel(
  volume: Volume,
  lungMask: LabelMap | null,
  bundle: ModelBundle,
  options: RunLesionModelOptions & Pick<InferenceServiceOptions, 'workerUrl' | 'cancelGraceMs'> = {},
): Promise<LesionModelResult> {
  const service = new InferenceService({
    ...(options.workerUrl ? { workerUrl: options.workerUrl } : {}),
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
  });
  try {
    return await service.run(volume, lungMask, bundle, options);
  } finally {
    await service.dispose();
  }
}
