import { UserError } from '../../../shared/errors/user-error.ts';

/** Why a DICOMweb call failed, in terms the reader can act on. */
export type PacsErrorCode =
  | 'unauthorized' // 401: wrong or missing credentials
  | 'forbidden' // 403: credentials valid, access refused
  | 'not-found' // 404: no such study/series/instance, or wrong DICOMweb root
  | 'server-error' // 5xx after all retries
  | 'unreachable' // connection refused / DNS / reset before a response
  | 'interrupted' // the PACS went away in the middle of a response (truncated body)
  | 'timeout' // no data for the configured time
  | 'tls' // certificate not trusted / handshake failed
  | 'bad-response' // not DICOM JSON / not multipart / not DICOM
  | 'rejected' // STOW-RS: the PACS refused some or all instances
  | 'cancelled'
  | 'bad-request'; // our input (URL, UID, missing secret)

/** A failed DICOMweb operation; `status` is the HTTP status when there was one. */
export class PacsError extends UserError {
  override readonly name = 'PacsError';
  constructor(
    override readonly code: PacsErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(code, code === 'not-found' ? 'not-found' : 'refused', message);
  }

  /** Worth another attempt (transient network or server trouble). */
  get retryable(): boolean {
    return (
      this.code === 'unreachable' ||
      this.code === 'interrupted' ||
      this.code === 'timeout' ||
      (this.code === 'server-error' && this.status !== 501 && this.status !== 505)
    );
  }
}

/** The error of a non-2xx HTTP status (body text, bounded, as detail). */
export function errorOfStatus(status: number, what: string, detail: string): PacsError {
  const d = detail.replace(/\s+/g, ' ').trim().slice(0, 200);
  const tail = d ? ` (${d})` : '';
  if (status === 401)
    return new PacsError(
      'unauthorized',
      `${what}: the PACS refused the credentials (HTTP 401); check the user name and password or token`,
      status,
    );
  if (status === 403)
    return new PacsError('forbidden', `${what}: the PACS denied access (HTTP 403); the account lacks the permission`, status);
  if (status === 404)
    return new PacsError('not-found', `${what}: not found on the PACS (HTTP 404); check the UID and the DICOMweb root URL`, status);
  if (status === 429) return new PacsError('server-error', `${what}: the PACS is busy (HTTP 429)`, status);
  if (status >= 500) return new PacsError('server-error', `${what}: the PACS failed (HTTP ${status})${tail}`, status);
  return new PacsError('bad-response', `${what}: unexpected HTTP ${status}${tail}`, status);
}
