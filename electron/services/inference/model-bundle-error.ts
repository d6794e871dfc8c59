import { UserError } from '../../../shared/errors/user-error.ts';

/**
 * Why a model bundle was refused:
 * - `metadata-missing`: no readable `metadata.json` in the bundle folder;
 * - `metadata-invalid`: not JSON, or not the schema of `shared/inference/model-metadata.ts`;
 * - `unsafe-path`: `metadata.file` is absolute or leaves the bundle folder;
 * - `model-missing`: the ONNX file named by `metadata.file` is absent or unreadable;
 * - `sha256-mismatch`: the ONNX file is not the one the metadata describes (tampered, corrupted
 *   or replaced): it is never loaded.
 */
export type ModelBundleErrorCode = 'metadata-missing' | 'metadata-invalid' | 'unsafe-path' | 'model-missing' | 'sha256-mismatch';

/** Typed error of the model registry (and of the worker's load-time re-check). */
export class ModelBundleError extends UserError {
  constructor(
    override readonly code: ModelBundleErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, 'refused', message, options);
    this.name = 'ModelBundleError';
  }
}
