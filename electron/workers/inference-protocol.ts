import type { ModelMetadata } from '../../shared/inference/model-metadata.ts';
import type { ProviderName } from '../services/inference/execution-providers.ts';

/**
 * Messages between `electron/services/inference/inference-service.ts` (main thread) and
 * `inference-worker.ts`. Voxel buffers travel as transferables (moved, not copied or serialised);
 * everything else is small structured-clone data. One run at a time per worker.
 */
export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly modelPath: string;
  /** Expected SHA-256 of the model file; the worker re-hashes the bytes it loads. */
  readonly sha256: string;
  readonly metadata: ModelMetadata;
  /** Providers to try in order (ends with `cpu`). */
  readonly providers: readonly ProviderName[];
  readonly threads: number;
  /** Slices per `session.run`; null = the provider's default (see `DEFAULT_BATCH_SIZE`). */
  readonly batchSize: number | null;
  /** Also run every input mirrored left–right and average the logits (`shared/inference/mirror-average.ts`). */
  readonly mirrorAverage: boolean;
  /**
   * Cancellation flag: an `Int32Array(1)` view of this shared buffer, set to 1 by the service. The worker
   * reads it after creating the session and before every batch, and answers `cancelled`. Terminating a
   * thread while onnxruntime-node runs aborts the whole process (`Napi::Error`), so a run is never
   * stopped by `terminate()` unless it ignores the flag for the grace period.
   */
  readonly cancel: SharedArrayBuffer;
  /** `[nI, nJ, nK]` of the LPS-reoriented volume. */
  readonly size: readonly [number, number, number];
  /** HU voxels (transferred). */
  readonly volume: Int16Array;
  /** Lung labels on the same grid (transferred), or null to run every slice. */
  readonly lungMask: Uint8Array | null;
}

export type ToWorker = RunRequest;

/**
 * Default slices per `session.run`. On CPU, small batches are as fast per slice as large ones and
 * keep activations in cache (random-init 192² model, 2 threads: 35 / 35 / 39 / 46 ms per slice at
 * batch 1 / 2 / 4 / 8); GPUs need larger batches to be busy.
 */
export const DEFAULT_BATCH_SIZE: Readonly<Record<'cpu' | 'gpu', number>> = { cpu: 2, gpu: 8 };

/** Timings of one run, in milliseconds (wall clock). */
export interface WorkerTimings {
  /** Reading + hashing the model and creating the session (0 when a cached session was reused). */
  readonly sessionMs: number;
  readonly preprocessMs: number;
  /** Time inside `session.run` only. */
  readonly inferenceMs: number;
  readonly postprocessMs: number;
  /** Whole run inside the worker. */
  readonly workerTotalMs: number;
  readonly slicesTotal: number;
  readonly slicesInferred: number;
  readonly slicesSkipped: number;
  /** `session.run` calls: one per batch, two with `mirrorAverage`. */
  readonly batches: number;
}

export type FromWorker =
  | {
      readonly type: 'log';
      readonly runId: number;
      readonly level: 'info' | 'warn';
      readonly message: string;
    }
  | {
      readonly type: 'progress';
      readonly runId: number;
      readonly done: number;
      readonly total: number;
      readonly etaS: number | null;
    }
  | {
      readonly type: 'result';
      readonly runId: number;
      /** Label volume (transferred). */
      readonly labels: Uint8Array;
      readonly meanEntropy: number;
      readonly entropyVoxels: number;
      readonly provider: ProviderName;
      readonly timings: WorkerTimings;
    }
  | {
      /** The run saw its cancellation flag and stopped; no result follows. The worker stays usable. */
      readonly type: 'cancelled';
      readonly runId: number;
    }
  | {
      readonly type: 'error';
      readonly runId: number;
      readonly name: string;
      readonly code: string;
      readonly message: string;
    };
