import { UserError } from '../../../shared/errors/user-error.ts';

/** Error of an export request the workstation refuses (nothing signed, no DICOM source, …). */
export class ExportError extends UserError {
  override readonly name = 'ExportError';
  constructor(
    override readonly code: 'nothing-to-export' | 'not-signed' | 'no-dicom-source' | 'bad-request',
    message: string,
  ) {
    super(code, 'refused', message);
  }
}
