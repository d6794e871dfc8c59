/**
 * What a refusal means to the caller, independent of the transport. The dispatcher maps it ONCE to
 * the wire error (`ContractErrorBody.code`, and from that the HTTP status of the loopback bridge):
 * - `not-found`: the case, version, job, node … named does not exist (HTTP 404);
 * - `invalid`: the request itself is wrong (bad label values, too many uploads …) (HTTP 400);
 * - `conflict`: the request clashes with the stored state (already signed, QC blocks sign-off …);
 * - `refused`: the input or the situation does not allow it (not DICOM, not signed, PACS down …).
 */
export type UserErrorKind = 'not-found' | 'invalid' | 'conflict' | 'refused';

/**
 * The one coded error of the workstation's own vocabulary: a stable, machine-readable `code`
 * (e.g. `not-found`, `not-signed`, `truncated`; each subclass documents its set), its `kind`,
 * and a message that is a complete sentence for the reader (what failed, and what to do). Every
 * named error the services throw for a person to read extends it (CaseStoreError, ExportError,
 * PacsError, DicomError, NiftiError, …); anything else reaching the dispatcher is an internal error.
 */
export class UserError extends Error {
  constructor(
    /** Stable code, kept across releases (the renderer and tests may branch on it). */
    readonly code: string,
    readonly kind: UserErrorKind,
    /** The sentence the reader sees. */
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** Every kind, for exhaustive maps and for rebuilding an error that crossed a thread boundary. */
export const USER_ERROR_KINDS: readonly UserErrorKind[] = ['not-found', 'invalid', 'conflict', 'refused'];

export const isUserErrorKind = (k: unknown): k is UserErrorKind =>
  typeof k === 'string' && (USER_ERROR_KINDS as readonly string[]).includes(k);
