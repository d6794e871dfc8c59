import { ContractError, validateCall, type ContractApi, type ContractErrorBody, type ContractSpec } from '../../shared/contracts/contract.ts';

import { userError } from '../services/logging/user-error.ts';

export type Dispatch = (channel: string, rawArgs: unknown) => Promise<unknown>;

/** Maps any thrown value to the typed error body sent to the renderer (no stack traces, no paths of ours). */
export function toErrorBody(e: unknown): ContractErrorBody {
  if (e instanceof ContractError) return { code: e.code, message: e.message };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (code === 'not-found' || code === 'conflict') return { code, message: e.message };
    if (code === 'invalid') return { code: 'invalid-arguments', message: e.message };
    return { code: 'failed', message: userError(e).message };
  }
  return { code: 'failed', message: userError(e).message };
}

/**
 * The single gate between untrusted callers (renderer over Electron IPC, browser over the
 * loopback bridge) and the services: every call is validated against the contract (channel and
 * argument schema) before the implementation runs.
 */
export function createDispatcher<C extends ContractSpec>(
  contract: C,
  impl: ContractApi<C>,
  opts: { readonly onInternalError?: (channel: string, e: unknown) => void } = {},
): Dispatch {
  return async (channel, rawArgs) => {
    const { service, method, args } = validateCall(contract, channel, rawArgs);
    const svc = (impl as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[service];
    const fn = svc?.[method];
    if (!fn) throw new ContractError('unknown-channel', `channel ${channel} has no implementation`);
    try {
      return await fn.apply(svc, args);
    } catch (e) {
      // The caller gets a clear message (toErrorBody); an internal error's detail goes to the log.
      if (!(e instanceof ContractError) && userError(e).internal) opts.onInternalError?.(channel, e);
      throw e;
    }
  };
}
