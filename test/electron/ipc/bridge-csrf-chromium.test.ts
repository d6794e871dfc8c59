/**
 * Cross-site attacks on the loopback bridge from REAL Chromium pages (issue 18): a reader has the
 * workstation open (a session cookie exists); a hostile page served from another 127.0.0.1 port
 * in the same browser tries form posts, text/plain fetches, custom-header fetches, reading the
 * page secret, framing the workstation and reading the cookie. None may reach a service; the
 * workstation's own page still can. Skips where Chromium is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { chromium, type Browser, type BrowserContext } from 'playwright';
import { method } from '../../../shared/contracts/contract.ts';
import { createDispatcher } from '../../../electron/ipc/dispatcher.ts';
import { startHttpBridge, type RunningBridge } from '../../../electron/ipc/http-bridge.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium not found at ${CHROMIUM}`;

const contract = {
  settings: { setReaderName: method(z.tuple([z.string()])).returns<null>() },
  echo: { add: method(z.tuple([z.number(), z.number()])).returns<number>() },
} as const;
const calls: string[] = [];
const impl = {
  settings: { setReaderName: async (n: string) => (calls.push(`setReaderName:${n}`), null) },
  echo: { add: async (a: number, b: number) => (calls.push('add'), a + b) },
};

let dir: string;
let bridge: RunningBridge;
let base: string;
let attacker: Server;
let attackerBase: string;
const seenByAttacker: string[] = [];
let browser: Browser;
let context: BrowserContext;

/** Pages of the hostile server on another port; each reports what it could see in the title. */
function attackerPages(victim: string): Record<string, string> {
  return {
    '/form': `<!doctype html><body><form id=f method=POST enctype="text/plain" action="${victim}/rpc/settings.setReaderName">
      <input name='["evil","' value='"]'></form><script>document.getElementById('f').submit()</script></body>`,
    '/fetch': `<!doctype html><body><script>
      const r = [];
      const go = async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
          try { await fetch('${victim}/rpc/settings.setReaderName', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': type }, body: '["evil"]' }); r.push(type + ':sent'); } catch (e) { r.push(type + ':error'); }
        }
        try { const x = await fetch('${victim}/rpc/settings.setReaderName', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-lb-csrf': 'guess' }, body: '["evil"]' }); r.push('json:' + x.status); } catch (e) { r.push('json:blocked'); }
        try { const p = await fetch('${victim}/', { credentials: 'include' }); r.push('page:' + (await p.text()).slice(0, 80)); } catch (e) { r.push('page:blocked'); }
        r.push('cookie:' + document.cookie);
        document.title = 'done ' + JSON.stringify(r);
      };
      go();
    </script></body>`,
    '/frame': `<!doctype html><body><iframe id=f src="${victim}/"></iframe><script>
      setTimeout(() => { let t; try { t = document.getElementById('f').contentDocument?.body?.innerHTML ?? 'no-access'; } catch (e) { t = 'blocked'; } document.title = 'done ' + t; }, 1500);
    </script></body>`,
  };
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'lb-csrf-'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><head><title>workstation</title><script type="module" src="/app.js"></script></head><body>ok</body></html>',
  );
  // The workstation page's own call, the way renderer/api/client.ts makes it.
  writeFileSync(
    join(dir, 'app.js'),
    `const csrf = document.querySelector('meta[name="lb-csrf"]').getAttribute('content');
     const r = await fetch('/rpc/settings.setReaderName', { method: 'POST', headers: { 'content-type': 'application/json', 'x-lb-csrf': csrf }, body: '["Dr Own"]' });
     document.title = 'own ' + r.status + ' cookie:' + document.cookie;`,
  );
  bridge = await startHttpBridge({ dispatch: createDispatcher(contract, impl), rendererDir: dir });
  base = new URL(bridge.url).origin;
  attacker = createServer((req, res) => {
    seenByAttacker.push(req.headers.cookie ?? '');
    const page = attackerPages(base)[req.url ?? ''];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html' });
    res.end(page ?? '');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerBase = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  context = await browser.newContext();
});

after(async () => {
  if (skip) return;
  await context.close();
  await browser.close();
  await bridge.close();
  await new Promise<void>((r) => attacker.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('the workstation page calls RPCs with its session; the launch URL is exchanged and cleaned', { skip, timeout: 60_000 }, async () => {
  const page = await context.newPage();
  await page.goto(bridge.url);
  await page.waitForFunction("document.title.startsWith('own ')");
  assert.equal(page.url(), `${base}/`, 'redirected to the clean URL');
  assert.equal(await page.title(), 'own 200 cookie:', 'the call succeeded; the session cookie is HttpOnly');
  assert.deepEqual(calls, ['setReaderName:Dr Own']);
  const cookies = await context.cookies(base);
  const c = cookies.find((x) => x.name === bridge.cookieName);
  assert.ok(c && c.httpOnly && c.sameSite === 'Strict' && c.expires > 0 && c.expires < Date.now() / 1000 + 13 * 3600);
  // A second visit of the used launch URL from a browser without the session is refused.
  const other = await browser.newContext();
  const res = await (await other.newPage()).goto(bridge.url);
  assert.equal(res?.status(), 401);
  await other.close();
  await page.close();
});

test('hostile pages on another 127.0.0.1 port reach no service', { skip, timeout: 60_000 }, async () => {
  const before = calls.length;
  const form = await context.newPage();
  const formResponse = form.waitForResponse((r) => r.url().includes('/rpc/'));
  await form.goto(`${attackerBase}/form`);
  const status = (await formResponse).status();
  assert.ok(status === 403 || status === 401, `form post answered ${status}`);
  await form.close();

  const f = await context.newPage();
  await f.goto(`${attackerBase}/fetch`);
  await f.waitForFunction("document.title.startsWith('done ')", undefined, { timeout: 30_000 });
  const seen = JSON.parse((await f.title()).slice(5)) as string[];
  assert.ok(seen.includes('json:blocked'), `a custom-header fetch is blocked by CORS: ${seen.join(' | ')}`);
  const pageRead = seen.find((x) => x.startsWith('page:'));
  assert.equal(pageRead, 'page:blocked', 'the workstation page (and its secret) cannot be read');
  assert.equal(
    seen.find((x) => x.startsWith('cookie:')),
    'cookie:',
    'the session cookie is not readable by script',
  );
  await f.close();

  const fr = await context.newPage();
  await fr.goto(`${attackerBase}/frame`);
  await fr.waitForFunction("document.title.startsWith('done ')", undefined, { timeout: 30_000 });
  assert.ok(!(await fr.title()).includes('lb-csrf'), 'framing exposes nothing');
  await fr.close();

  assert.equal(calls.length, before, `no hostile request reached a service (${calls.slice(before).join(', ')})`);
});

test('a cookie leaked to another local server does not authorise RPCs', { skip, timeout: 30_000 }, async () => {
  // Browsers send cookies of 127.0.0.1 to every port: the attacker's server did receive it.
  const leaked = seenByAttacker
    .map((h) =>
      h
        .split(';')
        .map((x) => x.trim())
        .find((x) => x.startsWith(`${bridge.cookieName}=`)),
    )
    .find((x) => x !== undefined);
  assert.ok(leaked, 'the browser sent our cookie to the other port (this is why a cookie alone must not suffice)');
  const before = calls.length;
  const res = await fetch(`${base}/rpc/settings.setReaderName`, {
    method: 'POST',
    headers: { cookie: leaked, 'content-type': 'application/json' },
    body: '["evil"]',
  });
  assert.equal(res.status, 401);
  assert.equal(calls.length, before);
});
