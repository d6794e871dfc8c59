import { PacsError } from './pacs-error.ts';

/** A UID as a path segment (UIDs are digits and dots; anything else is refused). */
export function uidPath(uid: string): string {
  if (!/^[0-9]+(\.[0-9]+)*$/.test(uid) || uid.length > 64) throw new PacsError('bad-request', `"${uid.slice(0, 80)}" is not a DICOM UID`);
  return uid;
}

/** A socket/TLS error as the PacsError a reader can act on (tls, interrupted, unreachable). */
export function networkError(e: NodeJS.ErrnoException, what: string, midResponse: boolean): PacsError {
  const code = e.code ?? '';
  if (/^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH)/.test(code) || /certificate|SSL/i.test(e.message)) {
    return new PacsError('tls', `${what}: TLS failed (${code || e.message}); add the PACS's CA certificate to the node settings`);
  }
  if (midResponse || code === 'ECONNRESET' || code === 'EPIPE') {
    return new PacsError(
      midResponse ? 'interrupted' : 'unreachable',
      `${what}: the connection to the PACS was lost (${code || e.message})`,
    );
  }
  return new PacsError('unreachable', `${what}: cannot reach the PACS (${code || e.message})`);
}

/** Waits `ms` (a back-off); a cancelled signal rejects with a `cancelled` PacsError. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PacsError('cancelled', 'cancelled'));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new PacsError('cancelled', 'cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
