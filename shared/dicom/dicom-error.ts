import { UserError } from '../errors/user-error.ts';

/** Machine-readable reason why a DICOM file (or one of its frames) could not be read. */
export type DicomErrorCode =
  /** No Part-10 header ("DICM" at byte 128) or not parseable as DICOM at all. */
  | 'not-dicom'
  /** The file ends before an element or the pixel data it declares. */
  | 'truncated'
  /** Parseable but inconsistent (bad lengths, missing required pixel attributes, …). */
  | 'malformed'
  /** A transfer syntax, photometric interpretation or pixel layout this importer does not decode. */
  | 'unsupported'
  /** A codec failed on the encoded frame. */
  | 'decode-failed';

/** Thrown by the pure DICOM reading code for bad or unsupported input (never a bare crash). */
export class DicomError extends UserError {
  override readonly name = 'DicomError';
  constructor(
    override readonly code: DicomErrorCode,
    message: string,
  ) {
    super(code, 'refused', message);
  }
}
