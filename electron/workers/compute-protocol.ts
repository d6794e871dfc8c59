import type { ComputeTaskMap, ComputeTaskName } from './compute-tasks.ts';
import type { UserErrorKind } from '../../shared/errors/user-error.ts';

/**
 * Messages between the compute pool (main thread, `electron/services/compute/compute-pool.ts`) and
 * a compute worker (`compute-worker.ts`). One task at a time per worker; large buffers travel as
 * transferables.
 */
export type ToComputeWorker = {
  readonly [K in ComputeTaskName]: {
    readonly type: 'task';
    readonly id: number;
    readonly task: K;
    readonly input: ComputeTaskMap[K]['input'];
  };
}[ComputeTaskName];

/** A task's error, rebuilt on the main side with its name, message and code (and import issues). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** Set when the error was a UserError: the main side rebuilds one, so the dispatcher maps it by kind. */
  readonly kind?: UserErrorKind;
  readonly issues?: unknown;
}

export type FromComputeWorker =
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };
