import { createClient, type Invoke } from '../../../renderer/api/client.ts';
import { ContractError, type ContractApi } from '../../../shared/contracts/contract.ts';
import { workstationContract, type WorkstationContract } from '../../../shared/contracts/workstation.ts';

/** The workstation API from the test process, over the same loopback bridge (token header). */
export function nodeApi(pageUrl: string, token: string): ContractApi<WorkstationContract> {
  const base = new URL(pageUrl).origin;
  const invoke: Invoke = async (channel, args) => {
    const res = await fetch(`${base}/rpc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lb-token': token },
      body: JSON.stringify(args),
    });
    if ((res.headers.get('content-type') ?? '').startsWith('application/octet-stream')) return new Uint8Array(await res.arrayBuffer());
    const body = (await res.json()) as { result?: unknown; error?: { code: 'failed'; message: string } };
    if (!res.ok || body.error) throw new ContractError(body.error?.code ?? 'failed', body.error?.message ?? `HTTP ${res.status}`);
    return body.result;
  };
  return createClient(workstationContract, invoke);
}

/** Environment set by global-setup.ts. */
export function e2eEnv(): { url: string; token: string; dataDir: string; phantom: string } {
  const get = (k: string): string => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} not set: run through playwright.config.ts (global setup)`);
    return v;
  };
  return { url: get('LB_E2E_URL'), token: get('LB_E2E_TOKEN'), dataDir: get('LB_E2E_DATA_DIR'), phantom: get('LB_E2E_PHANTOM') };
}
