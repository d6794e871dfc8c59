import { UserError } from '../errors/user-error.ts';

/** Machine-readable reason why NIfTI bytes could not be read or written. */
export type NiftiErrorCode =
  'not-nifti' | 'unsupported' | 'truncated' | 'bad-dims' | 'too-large' | 'non-finite' | 'bad-geometry' | 'label-range' | 'bad-input';

/** Thrown by the NIfTI reader and writer for bad or unsupported input (never a bare crash). */
export class NiftiError extends UserError {
  override readonly name = 'NiftiError';
  constructor(
    override readonly code: NiftiErrorCode,
    message: string,
  ) {
    super(code, 'refused', message);
  }
}
