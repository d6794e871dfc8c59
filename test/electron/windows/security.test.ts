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
  assert.match(win, /setWindowOpenHandler[\s\S]*action: 'deny'/);
  assert.match(win, /will-navigate[\s\S]*preventDefault/);
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
  for (const os of ['win32', 'darwin', 'linux']) assert.match(builder, new RegExp(`!node_modules/onnxruntime-node/bin/napi-v\\*/${os}`));
});
