import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { AutosaveInfo, WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { AutosaveStore } from '../../services/autosave/autosave-store.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';

export interface AutosaveApiDeps {
  readonly store: CaseStore;
  readonly compute: CaseCompute;
  readonly autosave: AutosaveStore;
  /** Folder of the case database; the autosave slots live under it. */
  readonly dataDir: string;
}

/** The `autosave` service: one crash-safe slot of unsaved edits per case, written off the main thread. */
export function createAutosaveApi(deps: AutosaveApiDeps): ServiceApi<WorkstationContract['autosave']> {
  const { store, compute, autosave, dataDir } = deps;
  return {
    stage: async (caseId, bytes, parentId) => {
      const n = store.getCase(caseId).geometry.size.reduce((a, b) => a * b, 1);
      if (bytes.length !== n) throw new CaseStoreError('invalid', `autosave has ${bytes.length} voxels, the case has ${n}`);
      return { savedAt: await compute.autosaveWrite(dataDir, caseId, bytes, parentId) };
    },
    recover: async (caseId): Promise<AutosaveInfo> => {
      const r = await compute.autosaveRecover(dataDir, caseId);
      if (r.kind === 'recovered')
        return { kind: 'recovered', parentVersionId: r.record.parentVersionId, savedAt: r.record.savedAt, sha256: r.record.sha256 };
      if (r.kind === 'corrupt') return { kind: 'corrupt', reason: r.reason };
      return { kind: 'none' };
    },
    recoveredBytes: async (caseId) => {
      const r = await compute.autosaveRecover(dataDir, caseId);
      if (r.kind !== 'recovered') throw new CaseStoreError('not-found', `case ${caseId} has no autosaved edits`);
      return r.record.labels;
    },
    discard: async (caseId) => {
      autosave.discard(caseId);
      return null;
    },
    pending: async () => autosave.list(),
  };
}
