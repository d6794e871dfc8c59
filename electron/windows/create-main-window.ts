import { BrowserWindow, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES, denyNewWindow, guardNavigation } from './security.ts';

/**
 * The one application window, hardened: context isolation, sandbox, no Node in the renderer, a
 * strict CSP on every response, navigation and new windows denied (external http(s) links are
 * handed to the system browser), every permission request refused, no remote content.
 */
export function createMainWindow(opts: { preloadPath: string; indexUrl: string }): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    // Only bundled files (file:, devtools) may load: no remote content.
    const ok = /^(file|devtools|data|blob):/.test(details.url) || details.url.startsWith(opts.indexUrl.split('/').slice(0, 3).join('/'));
    callback({ cancel: !ok });
  });

  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    backgroundColor: '#111418',
    title: 'Lung Burden',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: opts.preloadPath },
  });
  win.webContents.setWindowOpenHandler(denyNewWindow((url) => void shell.openExternal(url)));
  win.webContents.on('will-navigate', (event, url) => guardNavigation(event, url, win.webContents.getURL()));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.indexUrl);
  return win;
}
