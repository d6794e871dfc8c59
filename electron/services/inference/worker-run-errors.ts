import { InferenceError } from '../../../shared/inference/inference-error.ts';
import { ModelBundleError, type ModelBundleErrorCode } from './model-bundle-error.ts';

/** The error of a cancelled run (`AbortError`, the signal's reason as cause). */
export function abortError(signal: AbortSignal | undefined): DOMException {
  const e = new DOMException('inference cancelled', 'AbortError');
  if (signal?.reason !== undefined) Object.defineProperty(e, 'cause', { value: signal.reason });
  return e;
}

/** The worker's error as the main side throws it: its class for bundle and inference errors. */
export function errorFromWorker(name: string, code: string, message: string): Error {
  if (name === 'ModelBundleError') return new ModelBundleError(code as ModelBundleErrorCode, message);
  if (name === 'InferenceError') return new InferenceError(code as InferenceError['code'], message);
  return new InferenceError('run-failed', `${name}: ${message}`);
}
