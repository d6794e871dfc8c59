/**
 * Security settings of every window, in one place. The renderer loads only bundled files; no
 * remote content, no eval, workers and WASM from self only (vtk.js and the codecs need
 * 'wasm-unsafe-eval'), images from data/blob URLs for screenshots.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** webPreferences of every BrowserWindow (checked by tests). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** The part of an Electron event that a guard needs (fake events in tests). */
export interface PreventableEvent {
  preventDefault(): void;
}

/** Folder URL the app's pages load from (`file:///…/renderer/` or the dev server's origin + path). */
export function appBaseUrl(indexUrl: string): string {
  const u = new URL(indexUrl);
  u.search = '';
  u.hash = '';
  return u.href.replace(/[^/]*$/, '');
}

/**
 * `will-navigate` guard of every web contents: a page may only reload itself (same URL); any
 * other navigation (links, `location =`, drag-and-drop of a file or URL) is prevented.
 */
export function guardNavigation(event: PreventableEvent, targetUrl: string, currentUrl: string): void {
  if (targetUrl !== currentUrl) event.preventDefault();
}

/**
 * `setWindowOpenHandler` of every web contents: no new window ever; an https link is handed to
 * the system browser through `openExternal` (nothing else: no file:, javascript:, http:).
 */
export function denyNewWindow(openExternal: (url: string) => void): (details: { url: string }) => { action: 'deny' } {
  return ({ url }) => {
    if (/^https:\/\/[^\s]+$/.test(url)) openExternal(url);
    return { action: 'deny' };
  };
}

/** The IPC sender facts the check reads (an `IpcMainInvokeEvent`, or a fake one in tests). */
export interface IpcSenderFacts {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly parent: unknown; readonly url: string } | null;
}

/**
 * IPC sender check: a call is served only from the main window's web contents, its top frame
 * (no sub-frames), with a page loaded from the app's own base URL.
 */
export function isTrustedIpcSender(event: IpcSenderFacts, mainWebContentsId: number, indexUrl: string): boolean {
  const frame = event.senderFrame;
  return event.sender.id === mainWebContentsId && frame !== null && frame.parent === null && frame.url.startsWith(appBaseUrl(indexUrl));
}
