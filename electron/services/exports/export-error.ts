/** Error of an export request the workstation refuses (nothing signed, no DICOM source, …). */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly code: 'nothing-to-export' | 'not-signed' | 'no-dicom-source' | 'bad-request',
    message: string,
  ) {
    super(message);
  }
}
