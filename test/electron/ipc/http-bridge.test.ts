import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { method } from '../../../shared/contracts/contract.ts';
import { createDispatcher } from '../../../electron/ipc/dispatcher.ts';
import { startHttpBridge, type RunningBridge } from '../../../electron/ipc/http-bridge.ts';
import { createClient, httpInvoke } from '../../../renderer/api/client.ts';

const contract = {
  echo: {
    add: method(z.tuple([z.number(), z.number()])).returns<number>(),
    bytes: method(z.tuple([z.instanceof(Uint8Array), z.string()])).returns<Uint8Array>(),
    exportTo: method(z.tuple([z.string().refine((p) => !p.includes('..'), 'path traversal')])).returns<string>(),
  },
} as const;
let reached = 0;
const impl = {
  echo: {
    add: async (a: number, b: number) => {
      reached++;
      return a + b;
    },
    bytes: async (b: Uint8Array, s: string) => {
      reached++;
      return new Uint8Array([...b, s.length]);
    },
    exportTo: async (p: string) => {
      reached++;
      return p;
    },
  },
};

let bridge: RunningBridge;
let dir: string;
let base: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-bridge-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  bridge = await startHttpBridge({
    dispatch: createDispatcher(contract, impl),
    rendererDir: dir,
    token: 'a'.repeat(64),
    launchToken: 'c'.repeat(64),
  });
  base = new URL(bridge.url).origin;
});
after(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { 'x-lb-token': 'a'.repeat(64) };

test('binds loopback only and prints a one-time launch URL (not the API token)', () => {
  const addr = bridge.server.address();
  assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
  assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=c{64}$/);
  assert.ok(!bridge.url.includes(bridge.token));
});

test('idle keep-alive sockets outlive a busy main thread (no ECONNRESET on the next request)', () => {
  assert.ok(bridge.server.keepAliveTimeout >= 60_000, `keepAliveTimeout ${bridge.server.keepAliveTimeout}`);
  assert.ok(bridge.server.headersTimeout > bridge.server.keepAliveTimeout);
});

test('requests without the token are refused', async () => {
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/rpc/echo.add`, { method: 'POST', body: '[1,2]' })).status, 401);
  assert.equal(
    (await fetch(`${base}/rpc/echo.add`, { method: 'POST', body: '[1,2]', headers: { 'x-lb-token': 'b'.repeat(64) } })).status,
    401,
  );
});

test('the launch token is exchanged once for a strict, port-named, short-lived session cookie and a clean URL', async () => {
  const launch = bridge.newLaunchUrl();
  const res = await fetch(launch, { redirect: 'manual' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  const setCookie = res.headers.get('set-cookie') ?? '';
  assert.match(setCookie, new RegExp(`^${bridge.cookieName}=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200$`));
  assert.equal(bridge.cookieName, `lb_session_${new URL(base).port}`);
  assert.ok(!setCookie.includes(bridge.token), 'the cookie never carries the API token');
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const again = await fetch(launch, { redirect: 'manual' });
  assert.equal(again.status, 401, 'a launch token works once');
  const page = await fetch(`${base}/`, { headers: { cookie: setCookie.split(';')[0] ?? '' } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'.*frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  assert.match(await page.text(), /<meta name="lb-csrf" content="[0-9a-f]{64}">/);
  const pre = await fetch(`${base}/rpc/echo.add`, { method: 'OPTIONS', headers: { ...auth, origin: 'http://evil.example' } });
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
});

/** Opens a browser-like session: the cookie header and the page's CSRF secret. */
async function openSession(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(bridge.newLaunchUrl(), { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const html = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  const csrf = /name="lb-csrf" content="([0-9a-f]+)"/.exec(html)?.[1];
  assert.ok(csrf);
  return { cookie, csrf };
}

test('RPC needs the page secret header as well as the cookie; the cookie alone is refused', async () => {
  const { cookie, csrf } = await openSession();
  const before = reached;
  const call = (headers: Record<string, string>) =>
    fetch(`${base}/rpc/echo.add`, { method: 'POST', body: '[1,2]', headers: { 'content-type': 'application/json', ...headers } });
  assert.equal((await call({ cookie })).status, 401);
  assert.equal((await call({ cookie, 'x-lb-csrf': 'f'.repeat(64) })).status, 401);
  assert.equal((await call({ 'x-lb-csrf': csrf })).status, 401);
  assert.equal(reached, before);
  const ok = await call({ cookie, 'x-lb-csrf': csrf });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { result: 3 });
  // the launch token is never an API credential
  assert.equal(
    (
      await fetch(`${base}/rpc/echo.add?token=${'c'.repeat(64)}`, {
        method: 'POST',
        body: '[1,2]',
        headers: { 'content-type': 'application/json' },
      })
    ).status,
    401,
  );
});

test('requests from another origin are refused with 403 whatever their credentials; text/plain and forms get 415', async () => {
  const { cookie, csrf } = await openSession();
  const before = reached;
  const call = (headers: Record<string, string>, type = 'application/json') =>
    fetch(`${base}/rpc/echo.add`, {
      method: 'POST',
      body: '[1,2]',
      headers: { 'content-type': type, cookie, 'x-lb-csrf': csrf, ...headers },
    });
  assert.equal((await call({ origin: 'http://127.0.0.1:9999' })).status, 403);
  assert.equal((await call({ origin: 'null' })).status, 403);
  assert.equal((await call({ 'sec-fetch-site': 'same-site' })).status, 403);
  assert.equal((await call({ 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await call({}, 'text/plain')).status, 415);
  assert.equal((await call({}, 'application/x-www-form-urlencoded')).status, 415);
  assert.equal((await call({ ...auth, origin: 'http://127.0.0.1:9999' })).status, 403);
  assert.equal((await fetch(`${base}/`, { headers: { cookie, 'sec-fetch-site': 'same-site' } })).status, 403);
  assert.equal(reached, before, 'no cross-origin call reached a service');
  assert.equal((await call({ origin: base, 'sec-fetch-site': 'same-origin' })).status, 200);
});

test('new launch URLs only for the API token', async () => {
  assert.equal((await fetch(`${base}/session/launch`, { method: 'POST' })).status, 401);
  const res = await fetch(`${base}/session/launch`, { method: 'POST', headers: auth });
  const body = (await res.json()) as { result: { url: string } };
  assert.match(body.result.url, /\?token=[0-9a-f]{64}$/);
  assert.equal((await fetch(body.result.url, { redirect: 'manual' })).status, 303);
});

test('malformed percent-encoding is a 400, not a 500', async () => {
  assert.equal(
    (await fetch(`${base}/rpc/echo.%E0%A4%A`, { method: 'POST', body: '[]', headers: { ...auth, 'content-type': 'application/json' } }))
      .status,
    400,
  );
  assert.equal((await fetch(`${base}/%E0%A4%A`, { headers: auth })).status, 400);
});

test('uploads: over-size bodies get 413 before they are read; too many at once get 429', async () => {
  const { request } = await import('node:http');
  const u = new URL(base);
  // Declares 2 GB, sends nothing: refused from the header.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: u.port,
        path: '/rpc/echo.bytes',
        method: 'POST',
        headers: {
          ...auth,
          'content-type': 'application/octet-stream',
          'content-length': String(2 ** 31),
          'x-lb-args': '[{"$binary":true},"x"]',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(status, 413);
  // Three slow uploads at once: the third is refused while two are being read.
  const slow = (): { done: Promise<number>; finish: () => void } => {
    let finish = (): void => undefined;
    const done = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: u.port,
          path: '/rpc/echo.bytes',
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': '4', 'x-lb-args': '[{"$binary":true},"x"]' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(new Uint8Array([1, 2]));
      finish = () => req.end(new Uint8Array([3, 4]));
    });
    return { done, finish };
  };
  const a = slow();
  const b = slow();
  await new Promise((r) => setTimeout(r, 200));
  const c = slow();
  c.finish();
  assert.equal(await c.done, 429);
  a.finish();
  b.finish();
  assert.deepEqual([await a.done, await b.done], [200, 200]);
});

test('a foreign Host header is refused (DNS rebinding guard)', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    const u = new URL(base);
    const req = request({ host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example', ...auth } }, (res) =>
      resolve(res.statusCode ?? 0),
    );
    req.end();
  });
  assert.equal(status, 403);
});

test('typed client over the bridge: JSON and binary calls', async () => {
  // fetch in node has no cookie jar: the API token header instead of the session
  const client = createClient(contract, httpInvoke(base, auth));
  assert.equal(await client.echo.add(2, 3), 5);
  assert.deepEqual(Array.from(await client.echo.bytes(new Uint8Array([7, 8]), 'abc')), [7, 8, 3]);
  await assert.rejects(client.echo.add('x' as never, 1), /invalid arguments/);
});

test('unknown channels, wrong types, huge payloads and path traversal are refused before any service runs', async () => {
  const before = reached;
  const post = (ch: string, body: string) =>
    fetch(`${base}/rpc/${ch}`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json' } });
  assert.equal((await post('echo.nope', '[]')).status, 404);
  assert.equal((await post('constructor.prototype', '[]')).status, 404);
  assert.equal((await post('echo.add', '["1", 2]')).status, 400);
  assert.equal((await post('echo.add', '{"a":1}')).status, 400);
  assert.equal((await post('echo.add', 'not json')).status, 400);
  assert.equal((await post('echo.add', `[${'1,'.repeat(600_000)}1]`)).status, 413);
  assert.equal((await post('echo.exportTo', '["../../etc/passwd"]')).status, 400);
  const body = (await (await post('echo.add', '[1]')).json()) as { error: { code: string } };
  assert.equal(body.error.code, 'invalid-arguments');
  assert.equal(reached, before, 'no refused call reached a service');
});

test('static files cannot escape the renderer folder', async () => {
  assert.equal((await fetch(`${base}/..%2f..%2fetc%2fpasswd`, { headers: auth })).status, 404);
  assert.equal((await fetch(`${base}/%2e%2e/%2e%2e/etc/passwd`, { headers: auth })).status, 404);
});
