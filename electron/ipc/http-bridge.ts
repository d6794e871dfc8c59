import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MAX_ARGUMENT_BYTES } from '../../shared/contracts/contract.ts';
import { toErrorBody, type Dispatch } from './dispatcher.ts';
import { CONTENT_SECURITY_POLICY } from '../windows/security.ts';

/** Largest binary upload (a label map of 512×512×2000 voxels). */
const MAX_BINARY_BYTES = 512 * 512 * 2000;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2', '.map': 'application/json',
};

export interface BridgeOptions {
  readonly dispatch: Dispatch;
  /** Folder with the built renderer (index.html + assets). */
  readonly rendererDir: string;
  readonly port?: number;
  /** Fixed token (tests); random 32 bytes otherwise. */
  readonly token?: string;
}

export interface RunningBridge {
  readonly server: Server;
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Browser mode: the same contract over HTTP on 127.0.0.1 only. A random token is required on
 * every request (query `?token=` on the first page load, which sets an HttpOnly SameSite=Strict
 * cookie; header `x-lb-token` or the cookie afterwards). No CORS headers are ever sent, the Host
 * header must be the loopback address (DNS-rebinding guard), and the CSP of the Electron window
 * is sent with every page.
 *
 * RPC: `POST /rpc/<service.method>`; JSON body = argument array; or an `application/octet-stream`
 * body with the other arguments in the `x-lb-args` header (JSON array with `{"$binary":true}`
 * where the bytes go). Binary results come back as octet-stream, others as JSON `{result}`.
 */
export async function startHttpBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const server = createServer((req, res) => {
    handle(req, res, opts, token).catch((e: unknown) => sendJson(res, 500, { error: toErrorBody(e) }));
  });
  server.requestTimeout = 10 * 60_000;
  // An idle keep-alive socket is closed after keepAliveTimeout. When the main thread has been busy
  // for longer than that (a large import on a loaded machine), the close timer and a request that
  // arrived meanwhile meet on the same socket, and the client sees ECONNRESET. Idle loopback sockets
  // cost nothing, so keep them for two minutes (Node's default is 5 s).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function tokenOk(req: IncomingMessage, token: string, url: URL): boolean {
  const candidates = [
    req.headers['x-lb-token'],
    url.searchParams.get('token') ?? undefined,
    /(?:^|;\s*)lb_token=([0-9a-zA-Z_-]+)/.exec(req.headers.cookie ?? '')?.[1],
  ];
  const want = Buffer.from(token);
  return candidates.some((c) => {
    if (typeof c !== 'string') return false;
    const got = Buffer.from(c);
    return got.length === want.length && timingSafeEqual(got, want);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: BridgeOptions, token: string): Promise<void> {
  const host = req.headers.host ?? '';
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return sendJson(res, 403, { error: { code: 'unauthorized', message: 'bad host' } });
  const url = new URL(req.url ?? '/', `http://${host}`);
  if (!tokenOk(req, token, url)) return sendJson(res, 401, { error: { code: 'unauthorized', message: 'token required' } });

  if (url.pathname.startsWith('/rpc/')) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'failed', message: 'POST only' } });
    const channel = decodeURIComponent(url.pathname.slice(5));
    const type = req.headers['content-type'] ?? '';
    let args: unknown;
    try {
      if (type.startsWith('application/octet-stream')) {
        const body = await readBody(req, MAX_BINARY_BYTES);
        const header = req.headers['x-lb-args'];
        const meta = JSON.parse(typeof header === 'string' ? header : '[]') as unknown;
        if (!Array.isArray(meta)) throw new Error('x-lb-args must be a JSON array');
        args = meta.map((a: unknown) => (a !== null && typeof a === 'object' && (a as { $binary?: unknown }).$binary === true ? body : a));
      } else {
        args = JSON.parse((await readBody(req, MAX_ARGUMENT_BYTES)).toString('utf8')) as unknown;
      }
    } catch (e) {
      const tooLarge = e instanceof Error && e.message === 'too-large';
      return sendJson(res, tooLarge ? 413 : 400, { error: { code: tooLarge ? 'too-large' : 'invalid-arguments', message: tooLarge ? 'payload too large' : 'malformed request body' } });
    }
    try {
      const result = await opts.dispatch(channel, args);
      if (result instanceof Uint8Array) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': result.byteLength, 'cache-control': 'no-store' });
        res.end(result);
        return;
      }
      return sendJson(res, 200, { result: result ?? null });
    } catch (e) {
      const body = toErrorBody(e);
      const status = body.code === 'unknown-channel' ? 404 : body.code === 'invalid-arguments' ? 400 : body.code === 'not-found' ? 404 : 500;
      return sendJson(res, status, { error: body });
    }
  }

  if (req.method !== 'GET') return sendJson(res, 405, { error: { code: 'failed', message: 'GET only' } });
  const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
  const file = normalize(join(opts.rendererDir, rel));
  if (!file.startsWith(normalize(opts.rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    return sendJson(res, 404, { error: { code: 'not-found', message: 'not found' } });
  }
  const headers: Record<string, string> = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
  if (url.searchParams.has('token')) headers['set-cookie'] = `lb_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
  res.writeHead(200, headers);
  res.end(readFileSync(file));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > limit) {
        // Keep draining (discarding) so the caller gets a 413 rather than a reset connection.
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (tooLarge ? reject(new Error('too-large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}
