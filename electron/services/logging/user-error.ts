/**
 * What a user is told when something fails. Errors of the app's own vocabulary (the coded
 * `UserError` of shared/errors and its subclasses: ImportPathError, NiftiError, DicomError,
 * CaseStoreError, …; and ContractError) pass through with their sentence. JavaScript engine errors ("Maximum call stack size exceeded", "Cannot read
 * properties of undefined", "Array buffer allocation failed") and messages carrying raw bytes or
 * kilobytes of text are internal: the user gets a clear sentence, the detail goes to the log.
 */
export interface UserMessage {
  /** One line for the user (never a stack trace, never raw input bytes). */
  readonly message: string;
  /** True when the original error was internal: log its detail. */
  readonly internal: boolean;
  /** True when the failure is attributable to the input (CLI exit code 3). */
  readonly badInput: boolean;
}

/** Longest error message passed through to a user. */
const MAX_MESSAGE_CHARS = 600;
/** Controls other than tab/newline, or U+FFFD (bytes that were not text): raw data in a message. */
const RAW_BYTES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;
const ENGINE_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'InternalError']);

export function userError(e: unknown): UserMessage {
  const err = e instanceof Error ? e : null;
  const name = err?.name ?? '';
  const raw = err ? err.message : String(e);
  if (err && /maximum call stack size exceeded|too much recursion/i.test(raw)) {
    return {
      internal: true,
      badInput: true,
      message:
        'the input is nested too deeply to be read (for example a DICOM sequence nested thousands of levels): not imported; details are in the log',
    };
  }
  if (
    err &&
    /array buffer allocation failed|invalid (typed )?array length|out of memory|allocation failed|invalid string length/i.test(raw)
  ) {
    return {
      internal: true,
      badInput: true,
      message:
        'the input would need more memory than this workstation allows (it claims a huge image or decompresses to gigabytes): not imported; details are in the log',
    };
  }
  if (err && ENGINE_ERRORS.has(name)) {
    return {
      internal: true,
      badInput: false,
      message:
        'internal error: the operation failed on data it does not handle (a malformed or unexpected input is the usual cause); details are in the log',
    };
  }
  if (RAW_BYTES.test(raw) || raw.length > MAX_MESSAGE_CHARS) {
    const printable = raw
      .replace(/[\u0000-\u001f\u007f-\u009f\ufffd]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return {
      internal: true,
      badInput: false,
      message: `${printable.slice(0, 200)}${printable.length > 200 ? '…' : ''} (message shortened; details are in the log)`,
    };
  }
  return { internal: false, badInput: false, message: raw };
}

/** Log fields of an internal error: its name, message and stack (the log redacts PHI). */
export function internalErrorFields(e: unknown): Record<string, string> {
  if (!(e instanceof Error)) return { error: String(e).slice(0, 2000) };
  return { error: `${e.name}: ${e.message}`.slice(0, 2000), stack: (e.stack ?? '').slice(0, 4000) };
}
