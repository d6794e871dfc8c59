import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { ProviderName, ProviderPreference } from './execution-providers.ts';

/** Progress of a run: slices done (inferred or skipped) out of all slices, and the estimated seconds left (null until the first batch is timed). */
export interface InferenceProgress {
  readonly done: number;
  readonly total: number;
  readonly etaS: number | null;
}

/** Log sink for engine events (provider fallback, session creation). Defaults to `console`. */
export type InferenceLogger = (level: 'info' | 'warn', message: string) => void;

export interface RunLesionModelOptions {
  /** Called after every batch (and once before the first) with slice progress. */
  readonly onProgress?: (progress: InferenceProgress) => void;
  /** Aborting terminates the worker; the promise rejects with a DOMException named `AbortError`. */
  readonly signal?: AbortSignal;
  /** Execution provider preference (default `auto`: GPU when possible, else CPU; see `providerCandidates`). */
  readonly provider?: ProviderPreference;
  /** onnxruntime intra-op threads (default: physical cores, `defaultThreadCount`). */
  readonly threads?: number;
  /** Slices per `session.run` (default 2 on CPU, 8 on a GPU provider; ignored when the model has a fixed batch dimension). */
  readonly batchSize?: number;
  /**
   * Also run every slice mirrored left–right and average the two outputs (test-time augmentation,
   * `shared/inference/mirror-average.ts`): twice the network time. Default false.
   */
  readonly mirrorAverage?: boolean;
  readonly logger?: InferenceLogger;
  /**
   * Move the caller's volume and lung-mask buffers to the worker instead of copying them (no
   * main-thread copy of a large case); the caller's arrays are detached afterwards. Default false.
   */
  readonly transferInputs?: boolean;
}

/** Milliseconds spent in each stage of one run. */
export interface InferenceTimings {
  /** Worker thread start-up (0 when a warm worker was reused). */
  readonly workerStartMs: number;
  /** Model read + sha256 + session creation (0 when the session was reused). */
  readonly sessionMs: number;
  readonly preprocessMs: number;
  /** Inside `session.run`. */
  readonly inferenceMs: number;
  readonly postprocessMs: number;
  /** From the call to the resolved result, as the caller sees it. */
  readonly totalMs: number;
  readonly slicesTotal: number;
  /** Slices sent to the network (slices with lung). */
  readonly slicesInferred: number;
  /** Slices without lung, labelled background without running the network. */
  readonly slicesSkipped: number;
  /** `session.run` calls: one per batch, two with `mirrorAverage`. */
  readonly batches: number;
}

export interface LesionModelResult {
  /** Lesion labels (0 background, 1 GGO, 2 high opacity) on the volume's grid and geometry. */
  readonly labels: LabelMap;
  /** Mean softmax entropy (nats, 0…ln 3) over the lung voxels evaluated; 0 when there were none. */
  readonly meanEntropy: number;
  /** Execution provider that ran the model (`cpu`, `cuda`, …). */
  readonly provider: ProviderName;
  readonly timings: InferenceTimings;
}

export interface InferenceServiceOptions {
  /** Worker file override (see `spawnInferenceWorker`). */
  readonly workerUrl?: URL;
  readonly logger?: InferenceLogger;
  /** Called when a worker thread has exited (after a crash, a hung cancel or `dispose`), for diagnostics. */
  readonly onWorkerExit?: (threadId: number, exitCode: number) => void;
  /** How long a cancelled run may take to stop before its worker is terminated (default {@link CANCEL_GRACE_MS}). */
  readonly cancelGraceMs?: number;
}

// stderr only: stdout of the CLI carries machine-readable output (`analyze --json`).
