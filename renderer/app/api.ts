import type { ContractApi } from '../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../shared/contracts/workstation.ts';
import { connectWorkstation } from '../api/client.ts';

/** The typed workstation API (Electron preload or loopback HTTP bridge). */
export type WorkstationApi = ContractApi<WorkstationContract>;

let instance: WorkstationApi | null = null;

/** The one API client of this page, created on first use. */
export function workstationApi(): WorkstationApi {
  instance ??= connectWorkstation();
  return instance;
}
