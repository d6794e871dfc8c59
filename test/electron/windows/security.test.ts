import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES } from '../../../electron/windows/security.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

test('every window is isolated, sandboxed and has no Node integration', () => {
  assert.equal(SECURE_WEB_PREFERENCES.contextIsolation, true);
  assert.equal(SECURE_WEB_PREFERENCES.sandbox, true);
  assert.equal(SECURE_WEB_PREFERENCES.nodeIntegration, false);
  assert.equal(SECURE_WEB_PREFERENCES.nodeIntegrationInWorker, false);
  assert.equal(SECURE_WEB_PREFERENCES.webviewTag, false);
  assert.equal(SECURE_WEB_PREFERENCES.webSecurity, true);
});

test('the CSP allows only the app itself (no remote content, no eval)', () => {
  assert.match(CONTENT_SECURITY_POLICY, /default-src 'self'/);
  assert.match(CONTENT_SECURITY_POLICY, /object-src 'none'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /'unsafe-eval'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /https?:|\*/);
});

test('main window denies navigation and new windows; preload exposes only the contract', () => {
  const win = readFileSync(join(REPO_ROOT, 'electron/windows/create-main-window.ts'), 'utf8');
  assert.match(win, /setWindowOpenHandler\(denyNewWindow/);
  assert.match(win, /will-navigate[\s\S]*guardNavigation/);
  assert.match(win, /setPermissionRequestHandler[\s\S]*callback\(false\)/);
  const preload = readFileSync(join(REPO_ROOT, 'electron/preload.ts'), 'utf8');
  assert.doesNotMatch(preload, /exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  assert.match(preload, /channelsOf\(workstationContract\)/);
});

test('Electron fuses are set in both packaging configs', () => {
  const forge = readFileSync(join(REPO_ROOT, 'forge.config.ts'), 'utf8');
  assert.match(forge, /RunAsNode\]: false/);
  assert.match(forge, /EnableCookieEncryption\]: true/);
  assert.match(forge, /EnableEmbeddedAsarIntegrityValidation\]: true/);
  const builder = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
  assert.match(builder, /runAsNode: false/);
  assert.match(builder, /enableCookieEncryption: true/);
  assert.match(builder, /enableEmbeddedAsarIntegrityValidation: true/);
  // other platforms' onnxruntime binaries are excluded (checked per platform in test/electron/packaging.test.ts)
  assert.match(builder, /!node_modules\/onnxruntime-node\/bin\/napi-v\*\/!\(\$\{platform\}\)\/\*\*/);
});

test('navigation guard on fake events: only a reload of the same page passes', async () => {
  const { guardNavigation } = await import('../../../electron/windows/security.ts');
  const fake = (): { prevented: boolean; preventDefault(): void } => ({
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  });
  const page = 'file:///opt/lung-burden/renderer/index.html#case/3';
  for (const target of [
    'https://evil.example/',
    'file:///etc/passwd',
    'file:///opt/lung-burden/renderer/other.html',
    'javascript:alert(1)',
  ]) {
    const e = fake();
    guardNavigation(e, target, page);
    assert.equal(e.prevented, true, target);
  }
  const same = fake();
  guardNavigation(same, page, page);
  assert.equal(same.prevented, false);
});

test('new windows are always denied; only https links go to the system browser', async () => {
  const { denyNewWindow } = await import('../../../electron/windows/security.ts');
  const opened: string[] = [];
  const handler = denyNewWindow((u) => opened.push(u));
  for (const url of [
    'https://doi.org/10.1117/1.JMI.9.6.064001',
    'http://plain.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'https://a b',
  ])
    assert.deepEqual(handler({ url }), { action: 'deny' });
  assert.deepEqual(opened, ['https://doi.org/10.1117/1.JMI.9.6.064001']);
});

test('IPC sender check on fake events: main window, top frame, app page only', async () => {
  const { isTrustedIpcSender, appBaseUrl } = await import('../../../electron/windows/security.ts');
  const index = 'file:///opt/lung-burden/.vite/renderer/index.html';
  assert.equal(appBaseUrl(index), 'file:///opt/lung-burden/.vite/renderer/');
  assert.equal(appBaseUrl('http://localhost:5173'), 'http://localhost:5173/');
  const ev = (id: number, url: string, parent: unknown = null, frame = true) => ({
    sender: { id },
    senderFrame: frame ? { parent, url } : null,
  });
  assert.equal(isTrustedIpcSender(ev(7, `${index}#case/1`), 7, index), true);
  assert.equal(isTrustedIpcSender(ev(8, `${index}#case/1`), 7, index), false, 'another web contents');
  assert.equal(isTrustedIpcSender(ev(7, index, {}), 7, index), false, 'a sub-frame');
  assert.equal(isTrustedIpcSender(ev(7, index, null, false), 7, index), false, 'no frame (destroyed)');
  assert.equal(isTrustedIpcSender(ev(7, 'https://evil.example/index.html'), 7, index), false, 'a foreign page');
  assert.equal(isTrustedIpcSender(ev(7, 'file:///opt/lung-burden/.vite/other/x.html'), 7, index), false, 'a file outside the app folder');
  assert.equal(
    isTrustedIpcSender(ev(7, 'http://localhost:51730/'), 7, 'http://localhost:5173'),
    false,
    'a port that merely starts the same',
  );
});
