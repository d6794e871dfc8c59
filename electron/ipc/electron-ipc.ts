import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { toErrorBody, type Dispatch } from './dispatcher.ts';

/**
 * Serves the contract over Electron IPC on the single channel `lb:call`. The sender is checked
 * (must be the main window's top frame, loaded from the app's own URL) before the dispatcher
 * validates channel and arguments.
 */
export function serveContractOverIpc(dispatch: Dispatch, isTrustedSender: (e: IpcMainInvokeEvent) => boolean): void {
  ipcMain.handle('lb:call', async (event, channel: unknown, args: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'unauthorized', message: 'untrusted sender' } };
    try {
      return { ok: true, result: await dispatch(String(channel), args) };
    } catch (e) {
      return { ok: false, error: toErrorBody(e) };
    }
  });
}
