import { ContractError, type ContractApi } from '../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../shared/contracts/workstation.ts';
import { connectWorkstation } from '../api/client.ts';

/** The typed workstation API (Electron preload or loopback HTTP bridge). */
export type WorkstationApi = ContractApi<WorkstationContract>;

let instance: WorkstationApi | null = null;
let signInAgain: (() => Promise<unknown>) | null = null;

/**
 * Sets what happens when a call is refused because nobody is signed in (the session ended after
 * idle time, or another window signed out): the app asks for a login, then the call is made once
 * more. Login calls themselves are never retried.
 */
export function onSessionEnded(handler: () => Promise<unknown>): void {
  signInAgain = handler;
}

const notSignedIn = (e: unknown): boolean => e instanceof ContractError && e.code === 'unauthorized' && e.reason === 'not-signed-in';

/** The one API client of this page, created on first use. */
export function workstationApi(): WorkstationApi {
  if (!instance) {
    const base = connectWorkstation() as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
    const wrapped: Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>> = {};
    for (const [service, methods] of Object.entries(base)) {
      wrapped[service] = Object.fromEntries(
        Object.entries(methods).map(([name, fn]) => [
          name,
          async (...args: unknown[]) => {
            try {
              return await fn(...args);
            } catch (e) {
              if (!notSignedIn(e) || service === 'readers' || !signInAgain) throw e;
              await signInAgain();
              return fn(...args);
            }
          },
        ]),
      );
    }
    instance = wrapped as unknown as WorkstationApi;
  }
  return instance;
}
