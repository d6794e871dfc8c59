import type { IncomingMessage, ServerResponse } from 'node:http';

/** Error of a request refused before dispatch: HTTP status, contract code and a clear message. */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A request header, when sent once. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** A cookie of the request by name. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The percent-decoded request path; malformed encoding is a 400. */
export function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RequestRefused(400, 'invalid-arguments', 'malformed percent-encoding in the request path');
  }
}

/** Refuses requests another origin made (Origin header or Fetch Metadata), whatever their credentials. */
export function checkSameOrigin(req: IncomingMessage, host: string): void {
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== `http://${host}`) {
    throw new RequestRefused(403, 'unauthorized', `cross-origin request refused (Origin ${origin.slice(0, 100)})`);
  }
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new RequestRefused(403, 'unauthorized', `cross-origin request refused (Sec-Fetch-Site ${site.slice(0, 20)})`);
  }
}

/** A JSON request body; malformed JSON is a 400. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestRefused(400, 'invalid-arguments', 'malformed request body');
  }
}

/** The request body up to `limit` bytes (a 413 beyond: refused before reading when declared). */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  const tooLarge = (): RequestRefused => new RequestRefused(413, 'too-large', `payload too large (limit ${limit} bytes)`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    // Refuse before reading a byte; close the connection rather than draining a huge body.
    res.setHeader('connection', 'close');
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    // A declared length is read into one buffer as it arrives (no copy of a large label map on this thread at the end).
    const pre = Number.isFinite(declared) && declared > 0 ? Buffer.allocUnsafeSlow(declared) : null;
    const chunks: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (pre && !over && n + c.length <= pre.length) pre.set(c, n);
      else if (pre) over = true;
      n += c.length;
      if (n > limit) {
        // Keep draining (discarding) so the caller gets a 413 rather than a reset connection.
        over = true;
        chunks.length = 0;
        return;
      }
      if (!pre) chunks.push(c);
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(pre ? pre.subarray(0, n) : Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** A JSON response, never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extra,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}
