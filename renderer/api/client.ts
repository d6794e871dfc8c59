import { ContractError, type ContractApi, type ContractErrorBody, type ContractSpec } from '../../shared/contracts/contract.ts';
import { workstationContract, type WorkstationContract } from '../../shared/contracts/workstation.ts';

/** How a call reaches the main process. */
export type Invoke = (channel: string, args: unknown[]) => Promise<unknown>;

/** The preload bridge exposed by Electron (see electron/preload.ts): `window.lungBurden.call` answers the reply envelope. */
interface PreloadBridge {
  call(channel: string, args: unknown[]): Promise<unknown>;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: ContractErrorBody };

/** Transport of Electron: the envelope of the main process becomes the result or the typed ContractError. */
export function preloadInvoke(bridge: PreloadBridge): Invoke {
  return async (channel, args) => {
    const reply = (await bridge.call(channel, args)) as Reply;
    if (reply.ok) return reply.result;
    throw new ContractError(reply.error.code, reply.error.message, reply.error.reason);
  };
}

/** Builds a typed client for a contract from any transport. */
export function createClient<C extends ContractSpec>(contract: C, invoke: Invoke): ContractApi<C> {
  const api: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>> = {};
  for (const [service, spec] of Object.entries(contract)) {
    const svc: Record<string, (...a: unknown[]) => Promise<unknown>> = {};
    for (const m of Object.keys(spec)) svc[m] = (...args) => invoke(`${service}.${m}`, args);
    api[service] = svc;
  }
  return api as unknown as ContractApi<C>;
}

/**
 * The per-session secret the bridge wrote into this page (`<meta name="lb-csrf">`); every RPC
 * carries it in the `x-lb-csrf` header, which a page of another origin cannot send or read.
 */
export function pageCsrfSecret(): string | null {
  const doc = (globalThis as { document?: { querySelector(sel: string): { getAttribute(name: string): string | null } | null } }).document;
  return doc?.querySelector('meta[name="lb-csrf"]')?.getAttribute('content') ?? null;
}

/**
 * Transport of browser mode: the loopback HTTP bridge (session cookie set on page load, plus the
 * page's secret header). `headers` are added to every request (non-browser clients: `x-lb-token`).
 */
export function httpInvoke(baseUrl = '', headers: Record<string, string> = {}): Invoke {
  const csrf = pageCsrfSecret();
  const auth: Record<string, string> = { ...(csrf !== null ? { 'x-lb-csrf': csrf } : {}), ...headers };
  return async (channel, args) => {
    const binaryAt = args.findIndex((a) => a instanceof Uint8Array);
    const init: RequestInit =
      binaryAt >= 0
        ? {
            method: 'POST',
            headers: {
              ...auth,
              'content-type': 'application/octet-stream',
              'x-lb-args': JSON.stringify(args.map((a, i) => (i === binaryAt ? { $binary: true } : a))),
            },
            body: args[binaryAt] as Uint8Array<ArrayBuffer>,
          }
        : { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(args) };
    const res = await fetch(`${baseUrl}/rpc/${encodeURIComponent(channel)}`, { ...init, credentials: 'same-origin' });
    const type = res.headers.get('content-type') ?? '';
    if (res.ok && type.startsWith('application/octet-stream')) return new Uint8Array(await res.arrayBuffer());
    if (!type.startsWith('application/json')) throw new ContractError('failed', `HTTP ${res.status}`);
    const body = (await res.json()) as { result?: unknown; error?: ContractErrorBody };
    if (!res.ok || body.error) {
      throw new ContractError(body.error?.code ?? 'failed', body.error?.message ?? `HTTP ${res.status}`, body.error?.reason);
    }
    return body.result;
  };
}

/** The workstation client over whichever transport this page has (Electron preload or HTTP). */
export function connectWorkstation(): ContractApi<WorkstationContract> {
  const bridge = (globalThis as { lungBurden?: PreloadBridge }).lungBurden;
  return createClient(workstationContract, bridge ? preloadInvoke(bridge) : httpInvoke());
}
