import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { PacsError } from './pacs-error.ts';
import type { HttpResult } from './dicomweb-options.ts';
import { networkError } from './dicomweb-net.ts';

/** How one exchange is sent: the client's kept-alive agent and its idle timeout. */
export interface HttpSendOptions {
  readonly agent: HttpAgent | HttpsAgent;
  /** No answer (no byte) for this long fails the exchange with a `timeout` PacsError. */
  readonly timeoutMs: number;
}

/**
 * One HTTP exchange of the DICOMweb client; the body is read whole and checked against
 * Content-Length. Every failure is a PacsError naming the cause (cancelled, timeout, interrupted,
 * unreachable, tls); `what` names the request in the messages. No retries here.
 */
export function httpExchangeOnce(
  o: HttpSendOptions,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer | null,
  signal: AbortSignal | undefined,
  what: string,
  onBytes?: (n: number) => void,
): Promise<HttpResult> {
  return new Promise<HttpResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PacsError('cancelled', `${what}: cancelled`));
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (e: PacsError): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      reject(e);
    };
    const onAbort = (): void => fail(new PacsError('cancelled', `${what}: cancelled`));
    const req = send(url, {
      method,
      agent: o.agent,
      headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(o.timeoutMs, () =>
      fail(new PacsError('timeout', `${what}: no answer from the PACS for ${Math.round(o.timeoutMs / 1000)} s`)),
    );
    req.on('error', (e: NodeJS.ErrnoException) => fail(networkError(e, what, false)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        received += c.length;
        onBytes?.(c.length);
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(networkError(e, what, true)));
      res.on('aborted', () => fail(new PacsError('interrupted', `${what}: the PACS closed the connection in the middle of the response`)));
      res.on('end', () => {
        if (settled) return;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && res.headers['content-length'] !== undefined && received < declared) {
          fail(new PacsError('interrupted', `${what}: the PACS sent ${received} of ${declared} bytes and closed the connection`));
          return;
        }
        if (!res.complete) {
          fail(new PacsError('interrupted', `${what}: the response ended early (connection lost)`));
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(body ?? undefined);
  });
}
