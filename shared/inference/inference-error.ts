import { UserError } from '../errors/user-error.ts';

/**
 * Why an inference run failed, as a stable machine-readable code:
 * - `invalid-input`: the volume / lung mask / options are unusable (wrong sizes, not LPS, …);
 * - `model-mismatch`: the ONNX graph does not match its `metadata.json` (names, shapes, classes);
 * - `session-failed`: onnxruntime could not create a session on any execution provider;
 * - `run-failed`: onnxruntime failed while running the model;
 * - `worker-crashed`: the worker thread died (uncaught error, out of memory, exit) mid-run.
 */
export type InferenceErrorCode = 'invalid-input' | 'model-mismatch' | 'session-failed' | 'run-failed' | 'worker-crashed';

/** Typed error of the inference engine (thrown in `shared/inference` and `electron/services/inference`). */
export class InferenceError extends UserError {
  constructor(
    override readonly code: InferenceErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 'refused', message, options);
    this.name = 'InferenceError';
  }
}
