// Preload: exposes exactly the typed contract to the renderer, never raw ipcRenderer.
// Runs sandboxed (contextIsolation + sandbox), so it imports only 'electron' and the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { channelsOf } from '../shared/contracts/contract.ts';
import { workstationContract } from '../shared/contracts/workstation.ts';

const allowed = new Set(channelsOf(workstationContract));

contextBridge.exposeInMainWorld('lungBurden', {
  /**
   * Invokes one contract method and answers the reply envelope as is: an Error thrown across the
   * context bridge keeps only its message, so the renderer client rebuilds the typed ContractError
   * (code, reason, sentence) from the envelope. Unknown channels are refused here and again in main.
   */
  call: async (channel: unknown, args: unknown[]): Promise<unknown> => {
    if (typeof channel !== 'string' || !allowed.has(channel))
      return { ok: false, error: { code: 'unknown-channel', message: `unknown channel ${String(channel).slice(0, 80)}` } };
    return ipcRenderer.invoke('lb:call', channel, args);
  },
});
