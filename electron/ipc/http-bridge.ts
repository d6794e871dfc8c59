import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { MAX_ARGUMENT_BYTES } from '../../shared/contracts/contract.ts';
import { toErrorBody, type Dispatch } from './dispatcher.ts';
import { CONTENT_SECURITY_POLICY } from '../windows/security.ts';
import { BridgeSessions, SESSION_TTL_MS, secretEquals } from './bridge-sessions.ts';
import { checkSameOrigin, cookie, decodePath, header, parseJson, readBody, RequestRefused, sendJson } from './http-request.ts';

/** Largest binary upload (a label map of 512×512×2000 voxels). */
const MAX_BINARY_BYTES = 512 * 512 * 2000;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface BridgeOptions {
  readonly dispatch: Dispatch;
  /** Folder with the built renderer (index.html + assets). */
  readonly rendererDir: string;
  readonly port?: number;
  /** Fixed API token (tests); random 32 bytes otherwise. */
  readonly token?: string;
  /** Fixed first launch token (tests); random 32 bytes otherwise. */
  readonly launchToken?: string;
  /** Binary uploads read at the same time at most (more get 429); default 2. */
  readonly maxConcurrentUploads?: number;
}

export interface RunningBridge {
  readonly server: Server;
  /** A one-time launch URL (its token is exchanged for a browser session on first use). */
  readonly url: string;
  /** The API token for non-browser clients (`x-lb-token` header); never put it in a URL. */
  readonly token: string;
  /** Name of this bridge's session cookie (port-specific). */
  readonly cookieName: string;
  /** Mints a new one-time launch URL (another browser or tab profile). */
  newLaunchUrl(): string;
  close(): Promise<void>;
}

/**
 * Browser mode: the same contract over HTTP on 127.0.0.1 only.
 *
 * Authentication (issue 18). Browsers do not isolate cookies by port, so any other local page or
 * server may see our cookies and send credentialed requests to us; a cookie alone therefore
 * authorises nothing but page loads.
 * - The printed URL carries a one-time launch token. Its first GET exchanges it for a session: an
 *   HttpOnly, SameSite=Strict, port-named (`lb_session_<port>`), 12-hour cookie, then a 303 redirect
 *   to the same path without the token (it leaves the address bar, history and Referer).
 * - The page gets the session's CSRF secret in a `<meta name="lb-csrf">` of index.html (served only
 *   to the session, only same-origin); every RPC must carry it in `x-lb-csrf` together with the
 *   cookie. Another origin cannot read the page nor send a custom header (no CORS is ever granted).
 * - Non-browser clients (tests, scripts) send the API token in `x-lb-token` (never accepted in a URL).
 * - A request whose `Origin` is not this origin, or whose `Sec-Fetch-Site` says cross-site or
 *   same-site (another port), is refused with 403; RPC bodies must be `application/json` or
 *   `application/octet-stream` (a cross-site form or `text/plain` fetch gets 415).
 * - The Host header must be the loopback address (DNS-rebinding guard); the CSP of the Electron
 *   window, `frame-ancestors 'none'` and `no-referrer` are sent with every page.
 * - Bodies: JSON at most MAX_ARGUMENT_BYTES, binary at most MAX_BINARY_BYTES (413, before reading
 *   when Content-Length says so), at most `maxConcurrentUploads` binary bodies at once (429);
 *   malformed percent-encoding in the path is a 400.
 *
 * RPC: `POST /rpc/<service.method>`; JSON body = argument array; or an `application/octet-stream`
 * body with the other arguments in the `x-lb-args` header (JSON array with `{"$binary":true}`
 * where the bytes go). Binary results come back as octet-stream, others as JSON `{result}`.
 * `POST /session/launch` (API token only) returns `{url}`: a new one-time launch URL.
 */
export async function startHttpBridge(opts: BridgeOptions): Promise<RunningBridge> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  const sessions = new BridgeSessions();
  let port = 0;
  const uploads = { active: 0, max: opts.maxConcurrentUploads ?? 2 };
  const server = createServer((req, res) => {
    handle(req, res, { opts, token, sessions, port, uploads }).catch((e: unknown) => {
      if (e instanceof RequestRefused) {
        sendJson(res, e.status, { error: { code: e.code, message: e.message } }, e.headers);
        return;
      }
      sendJson(res, 500, { error: toErrorBody(e) });
    });
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
  port = (server.address() as AddressInfo).port;
  const launchUrl = (t: string): string => `http://127.0.0.1:${port}/?token=${t}`;
  return {
    server,
    token,
    cookieName: cookieNameOf(port),
    url: launchUrl(sessions.mintLaunchToken(opts.launchToken)),
    newLaunchUrl: () => launchUrl(sessions.mintLaunchToken()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Name of the session cookie of the bridge on `port` (cookies are shared by all ports of a host). */
export function cookieNameOf(port: number): string {
  return `lb_session_${port}`;
}

interface HandlerContext {
  readonly opts: BridgeOptions;
  readonly token: string;
  readonly sessions: BridgeSessions;
  readonly port: number;
  readonly uploads: { active: number; readonly max: number };
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: HandlerContext): Promise<void> {
  const { opts, token, sessions } = ctx;
  const host = req.headers.host ?? '';
  if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) {
    sendJson(res, 403, { error: { code: 'unauthorized', message: 'bad host' } });
    return;
  }
  checkSameOrigin(req, host);
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${host}`);
  } catch {
    throw new RequestRefused(400, 'invalid-arguments', 'malformed request URL');
  }
  const cookieName = cookieNameOf(ctx.port);
  const apiToken = header(req, 'x-lb-token');
  const byApiToken = apiToken !== undefined && secretEquals(apiToken, token);
  const session = sessions.session(cookie(req, cookieName));

  if (url.pathname === '/session/launch') {
    if (req.method !== 'POST') throw new RequestRefused(405, 'failed', 'POST only');
    if (!byApiToken) throw new RequestRefused(401, 'unauthorized', 'API token required');
    req.resume();
    sendJson(res, 200, { result: { url: `http://127.0.0.1:${ctx.port}/?token=${sessions.mintLaunchToken()}` } });
    return;
  }

  if (url.pathname.startsWith('/rpc/')) {
    if (req.method !== 'POST') throw new RequestRefused(405, 'failed', 'POST only');
    const csrf = header(req, 'x-lb-csrf');
    const bySession = session !== null && csrf !== undefined && secretEquals(csrf, session.csrf);
    if (!byApiToken && !bySession) {
      throw new RequestRefused(
        401,
        'unauthorized',
        session ? 'the page secret (x-lb-csrf) is missing or wrong' : 'session or API token required',
      );
    }
    const channel = decodePath(url.pathname.slice(5));
    const type = header(req, 'content-type') ?? '';
    const binary = type.startsWith('application/octet-stream');
    if (!binary && !type.startsWith('application/json')) {
      throw new RequestRefused(415, 'invalid-arguments', 'RPC bodies are application/json or application/octet-stream');
    }
    let args: unknown;
    if (binary) {
      if (ctx.uploads.active >= ctx.uploads.max) {
        res.setHeader('connection', 'close');
        throw new RequestRefused(429, 'too-large', `too many uploads at once (at most ${ctx.uploads.max}); retry when one has finished`, {
          'retry-after': '1',
        });
      }
      ctx.uploads.active++;
      try {
        const body = await readBody(req, res, MAX_BINARY_BYTES);
        const meta = parseJson(header(req, 'x-lb-args') ?? '[]');
        if (!Array.isArray(meta)) throw new RequestRefused(400, 'invalid-arguments', 'x-lb-args must be a JSON array');
        args = meta.map((a: unknown) => (a !== null && typeof a === 'object' && (a as { $binary?: unknown }).$binary === true ? body : a));
      } finally {
        ctx.uploads.active--;
      }
    } else {
      args = parseJson((await readBody(req, res, MAX_ARGUMENT_BYTES)).toString('utf8'));
    }
    try {
      const result = await opts.dispatch(channel, args);
      if (result instanceof Uint8Array) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': result.byteLength,
          'cache-control': 'no-store',
        });
        res.end(result);
        return;
      }
      sendJson(res, 200, { result: result ?? null });
      return;
    } catch (e) {
      const body = toErrorBody(e);
      const status =
        body.code === 'unknown-channel' ? 404 : body.code === 'invalid-arguments' ? 400 : body.code === 'not-found' ? 404 : 500;
      sendJson(res, status, { error: body });
      return;
    }
  }

  if (req.method !== 'GET') throw new RequestRefused(405, 'failed', 'GET only');
  const launch = url.searchParams.get('token');
  if (launch !== null) {
    // Exchange the one-time launch token for a session (or, already in one, just drop it from the URL).
    const opened = session ? null : sessions.exchange(launch);
    if (!session && !opened) {
      throw new RequestRefused(
        401,
        'unauthorized',
        'this launch link was already used or has expired: open the page from the browser that used it, or print a new link (restart `npm run serve`)',
      );
    }
    const clean = new URL(url);
    clean.searchParams.delete('token');
    const headers: Record<string, string> = {
      location: `${clean.pathname}${clean.search}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    };
    if (opened)
      headers['set-cookie'] = `${cookieName}=${opened.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(SESSION_TTL_MS / 1000)}`;
    res.writeHead(303, headers);
    res.end();
    return;
  }
  if (!session && !byApiToken) throw new RequestRefused(401, 'unauthorized', 'token required: open the link printed by `npm run serve`');
  const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
  const file = normalize(join(opts.rendererDir, rel));
  if (!file.startsWith(normalize(opts.rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    sendJson(res, 404, { error: { code: 'not-found', message: 'not found' } });
    return;
  }
  const headers: Record<string, string> = {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
  let content: Buffer = readFileSync(file);
  if (extname(file) === '.html' && session) {
    content = Buffer.from(content.toString('utf8').replace(/<head>/i, `<head><meta name="lb-csrf" content="${session.csrf}">`), 'utf8');
  }
  res.writeHead(200, headers);
  res.end(content);
}
