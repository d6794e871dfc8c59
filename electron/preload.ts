// Preload: exposes exactly the typed contract to the renderer, never raw ipcRenderer.
// Runs sandboxed (contextIsolation + sandbox), so it imports only 'electron' and the contract.
import { contextBridge, ipcRenderer } from 'electron';
import { channelsOf } from '../shared/contracts/contract.ts';
import { workstationContract } from '../shared/contracts/workstation.ts';

const allowed = new Set(channelsOf(workstationContract));

contextBridge.exposeInMainWorld('lungBurden', {
  /** Invokes one contract method; unknown channels are refused here and again in main. */
  invoke: async (channel: unknown, args: unknown[]): Promise<unknown> => {
    if (typeof channel !== 'string' || !allowed.has(channel)) throw new Error(`unknown channel ${String(channel).slice(0, 80)}`);
    const reply = (await ipcRenderer.invoke('lb:call', channel, args)) as { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } };
    if (!reply.ok) {
      const e = new Error(reply.error.message);
      (e as Error & { code?: string }).code = reply.error.code;
      throw e;
    }
    return reply.result;
  },
});
