// Electron main process: the thin shell around the same services browser mode uses.
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workstationContract } from '../shared/contracts/workstation.ts';
import { createWorkstation, type Workstation } from './app/workstation.ts';
import { createDispatcher } from './ipc/dispatcher.ts';
import { internalErrorFields } from './services/logging/user-error.ts';
import { serveContractOverIpc } from './ipc/electron-ipc.ts';
import { createMainWindow } from './windows/create-main-window.ts';
import { createNativeDialogs } from './windows/native-dialogs.ts';
import { isTrustedIpcSender } from './windows/security.ts';

const here = dirname(fileURLToPath(import.meta.url));
let workstation: Workstation | null = null;

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

void app.whenReady().then(async () => {
  // Import folders and export destinations are chosen in native dialogs, modal to the window.
  const dialogs = createNativeDialogs(
    {
      showOpenDialog: (w, o) => (w instanceof BrowserWindow ? dialog.showOpenDialog(w, o) : dialog.showOpenDialog(o)),
      showSaveDialog: (w, o) => (w instanceof BrowserWindow ? dialog.showSaveDialog(w, o) : dialog.showSaveDialog(o)),
    },
    () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? null,
  );
  workstation = await createWorkstation({ dataDir: join(app.getPath('userData'), 'data'), dialogs, secretEncryptor: safeStorage });
  const devUrl = process.env['MAIN_WINDOW_VITE_DEV_SERVER_URL'];
  const indexUrl = devUrl ?? pathToFileURL(join(here, '..', 'renderer', 'index.html')).href;
  const win = createMainWindow({ preloadPath: join(here, 'preload.cjs'), indexUrl });
  const ws = workstation;
  const dispatch = createDispatcher(workstationContract, ws.api, {
    onInternalError: (channel, e) => ws.log.error(`${channel}: internal error`, internalErrorFields(e)),
  });
  serveContractOverIpc(dispatch, (event) => isTrustedIpcSender(event, win.webContents.id, indexUrl));
});

app.on('window-all-closed', () => {
  // running jobs are cancelled and waited for (an inference stops at its next batch) before the store closes
  void (workstation?.close() ?? Promise.resolve()).finally(() => app.quit());
});

app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) app.relaunch();
});
