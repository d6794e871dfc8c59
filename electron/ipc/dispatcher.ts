import {
  ContractError,
  validateCall,
  type ContractApi,
  type ContractErrorBody,
  type ContractSpec,
} from '../../shared/contracts/contract.ts';

import { UserError, type UserErrorKind } from '../../shared/errors/user-error.ts';
import { userError } from '../services/logging/user-error.ts';

export type Dispatch = (channel: string, rawArgs: unknown) => Promise<unknown>;

/** The wire code of each kind of user error: the one place a refusal becomes a transport error. */
const WIRE_CODE: Readonly<Record<UserErrorKind, ContractErrorBody['code']>> = {
  'not-found': 'not-found',
  invalid: 'invalid-arguments',
  conflict: 'conflict',
  refused: 'failed',
};

/**
 * Maps any thrown value to the typed error body sent to the renderer (no stack traces, no paths of
 * ours): a ContractError keeps its code; a UserError gets the wire code of its kind, its stable code
 * as `reason` and its sentence; anything else is internal and the caller reads a clear sentence
 * (`userError`) while the detail goes to the log.
 */
export function toErrorBody(e: unknown): ContractErrorBody {
  if (e instanceof ContractError) return { code: e.code, message: e.message, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
  if (e instanceof UserError) return { code: WIRE_CODE[e.kind], message: userError(e).message, reason: e.code };
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
