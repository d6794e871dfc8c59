/**
 * Compute worker thread: runs one task of `compute-tasks.ts` at a time for the compute pool
 * (`electron/services/compute/compute-pool.ts`) and answers with its result (buffers moved back)
 * or its error. Cancellation is done by the pool terminating this thread (tasks are plain JS and
 * file I/O: stopping them anywhere leaves at most a temporary file that the store sweeps).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromComputeWorker, SerializedError, ToComputeWorker } from './compute-protocol.ts';
import { UserError } from '../../shared/errors/user-error.ts';
import { computeTasks, type TaskContext, type TaskResult } from './compute-tasks.ts';
import { lowerThreadPriority } from './lower-thread-priority.ts';

if (!parentPort) throw new Error('compute-worker.ts must be started as a worker thread');
const port = parentPort;
const niceDelta = (workerData as { niceDelta?: unknown } | null)?.niceDelta;
if (typeof niceDelta === 'number' && niceDelta > 0) lowerThreadPriority(niceDelta);
const send = (m: FromComputeWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

const serialize = (e: unknown): SerializedError => {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const code = (e as { code?: unknown }).code;
  const issues = (e as { issues?: unknown }).issues;
  const kind = e instanceof UserError ? { kind: e.kind } : {};
  return {
    name: e.name,
    message: e.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...kind,
    ...(issues !== undefined ? { issues } : {}),
  };
};

port.on('message', (m: ToComputeWorker) => {
  const ctx: TaskContext = {
    signal: new AbortController().signal,
    progress: (done, total, message) => send({ type: 'progress', id: m.id, done, total, message }),
  };
  const run = computeTasks[m.task] as (input: unknown, ctx: TaskContext) => Promise<TaskResult<unknown>> | TaskResult<unknown>;
  Promise.resolve()
    .then(() => run(m.input, ctx))
    .then(
      (r) => send({ type: 'result', id: m.id, value: r.value }, r.transfer),
      (e: unknown) => send({ type: 'error', id: m.id, error: serialize(e) }),
    );
});
