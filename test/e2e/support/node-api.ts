import { execFileSync } from 'node:child_process';
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

/**
 * A new one-time launch URL of the bridge (`POST /session/launch` with the API token). Launch URLs
 * are exchanged once for a browser session, so every fresh browser context needs its own.
 */
export async function launchUrl(pageUrl: string, token: string): Promise<string> {
  const res = await fetch(`${new URL(pageUrl).origin}/session/launch`, { method: 'POST', headers: { 'x-lb-token': token } });
  const body = (await res.json()) as { result?: { url: string } };
  if (!res.ok || !body.result) throw new Error(`launch URL refused: HTTP ${res.status}`);
  return body.result.url;
}

/** {@link launchUrl}, synchronously (a short child process), for {@link e2eEnv}. */
function launchUrlSync(pageUrl: string, token: string): string {
  const script = `fetch(${JSON.stringify(`${new URL(pageUrl).origin}/session/launch`)}, { method: 'POST', headers: { 'x-lb-token': ${JSON.stringify(token)} } })
    .then((r) => r.json()).then((b) => { if (!b.result) throw new Error(JSON.stringify(b)); process.stdout.write(b.result.url); })`;
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
}

/**
 * Environment set by global-setup.ts. `url` is a fresh one-time launch URL on every call (the
 * bridge exchanges each for one browser session and redirects to the clean URL).
 */
export function e2eEnv(): { url: string; token: string; dataDir: string; phantom: string } {
  const get = (k: string): string => {
    const v = process.env[k];
    if (!v) throw new Error(`${k} not set: run through playwright.config.ts (global setup)`);
    return v;
  };
  const token = get('LB_E2E_TOKEN');
  return { url: launchUrlSync(get('LB_E2E_URL'), token), token, dataDir: get('LB_E2E_DATA_DIR'), phantom: get('LB_E2E_PHANTOM') };
}
