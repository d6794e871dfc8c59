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
    add: async (a: number, b: number) => { reached++; return a + b; },
    bytes: async (b: Uint8Array, s: string) => { reached++; return new Uint8Array([...b, s.length]); },
    exportTo: async (p: string) => { reached++; return p; },
  },
};

let bridge: RunningBridge;
let dir: string;
let base: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-bridge-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  bridge = await startHttpBridge({ dispatch: createDispatcher(contract, impl), rendererDir: dir, token: 'a'.repeat(64) });
  base = new URL(bridge.url).origin;
});
after(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { 'x-lb-token': 'a'.repeat(64) };

test('binds loopback only and prints a tokenised URL', () => {
  const addr = bridge.server.address();
  assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
  assert.match(bridge.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=a{64}$/);
});

test('idle keep-alive sockets outlive a busy main thread (no ECONNRESET on the next request)', () => {
  assert.ok(bridge.server.keepAliveTimeout >= 60_000, `keepAliveTimeout ${bridge.server.keepAliveTimeout}`);
  assert.ok(bridge.server.headersTimeout > bridge.server.keepAliveTimeout);
});

test('requests without the token are refused', async () => {
  assert.equal((await fetch(`${base}/`)).status, 401);
  assert.equal((await fetch(`${base}/rpc/echo.add`, { method: 'POST', body: '[1,2]' })).status, 401);
  assert.equal((await fetch(`${base}/rpc/echo.add`, { method: 'POST', body: '[1,2]', headers: { 'x-lb-token': 'b'.repeat(64) } })).status, 401);
});

test('page load with the token sets a strict cookie and the CSP, never CORS headers', async () => {
  const res = await fetch(bridge.url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('set-cookie') ?? '', /HttpOnly; SameSite=Strict/);
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const pre = await fetch(`${base}/rpc/echo.add`, { method: 'OPTIONS', headers: { ...auth, origin: 'http://evil.example' } });
  assert.equal(pre.headers.get('access-control-allow-origin'), null);
});

test('a foreign Host header is refused (DNS rebinding guard)', async () => {
  const { request } = await import('node:http');
  const status = await new Promise<number>((resolve) => {
    const u = new URL(base);
    const req = request({ host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example', ...auth } }, (res) => resolve(res.statusCode ?? 0));
    req.end();
  });
  assert.equal(status, 403);
});

test('typed client over the bridge: JSON and binary calls', async () => {
  const client = createClient(contract, (ch, args) => httpInvoke(base)(ch, args));
  // fetch in node has no cookie jar: send the token header through a wrapped fetch
  const orig = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => orig(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...auth } })) as typeof fetch;
  try {
    assert.equal(await client.echo.add(2, 3), 5);
    assert.deepEqual(Array.from(await client.echo.bytes(new Uint8Array([7, 8]), 'abc')), [7, 8, 3]);
    await assert.rejects(client.echo.add('x' as never, 1), /invalid arguments/);
  } finally {
    globalThis.fetch = orig;
  }
});

test('unknown channels, wrong types, huge payloads and path traversal are refused before any service runs', async () => {
  const before = reached;
  const post = (ch: string, body: string) => fetch(`${base}/rpc/${ch}`, { method: 'POST', body, headers: { ...auth, 'content-type': 'application/json' } });
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
