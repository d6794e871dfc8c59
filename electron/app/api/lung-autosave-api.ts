import { join } from 'node:path';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { LungAutosaveInfo } from '../../../shared/contracts/lung-autosave.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import { AutosaveStore } from '../../services/autosave/autosave-store.ts';
import { LUNG_LABEL_RULE, MAX_LUNG_LABEL } from './after-lung-save.ts';

/** Sub-folder of the data folder whose `autosave/` holds the lung-mask slots. */
export const LUNG_AUTOSAVE_DIR = 'lung-edits';

export interface LungAutosaveApiDeps {
  readonly store: CaseStore;
  readonly compute: CaseCompute;
  readonly dataDir: string;
}

/** `lungAutosave.*`: the lesion autosave's store and worker tasks on their own folder. */
export function createLungAutosaveApi(deps: LungAutosaveApiDeps) {
  const dir = join(deps.dataDir, LUNG_AUTOSAVE_DIR);
  const slots = new AutosaveStore(dir);
  const checkLung = (caseId: CaseId, bytes: Uint8Array): void => {
    const n = deps.store.getCase(caseId).geometry.size.reduce((a, b) => a * b, 1);
    if (bytes.length !== n) throw new CaseStoreError('invalid', `lung autosave has ${bytes.length} voxels, the case has ${n}`);
    for (let q = 0; q < bytes.length; q++)
      if (bytes[q]! > MAX_LUNG_LABEL) throw new CaseStoreError('invalid', `${LUNG_LABEL_RULE}; found ${bytes[q]}`);
  };
  return {
    lungAutosave: {
      stage: async (caseId: CaseId, bytes: Uint8Array, parentId: LabelVersionId | null): Promise<{ savedAt: string }> => {
        checkLung(caseId, bytes);
        if (parentId !== null) {
          const p = deps.store.labelVersion(parentId);
          if (p.caseId !== caseId || p.kind !== 'lung')
            throw new CaseStoreError('invalid', `version ${parentId} is not a lung version of case ${caseId}`);
        }
        return { savedAt: await deps.compute.autosaveWrite(dir, caseId, bytes, parentId) };
      },
      recover: async (caseId: CaseId): Promise<LungAutosaveInfo> => {
        deps.store.getCase(caseId);
        const r = await deps.compute.autosaveRecover(dir, caseId);
        if (r.kind === 'recovered')
          return { kind: 'recovered', parentVersionId: r.record.parentVersionId, savedAt: r.record.savedAt, sha256: r.record.sha256 };
        if (r.kind === 'corrupt') return { kind: 'corrupt', reason: r.reason };
        return { kind: 'none' };
      },
      recoveredBytes: async (caseId: CaseId): Promise<Uint8Array> => {
        const r = await deps.compute.autosaveRecover(dir, caseId);
        if (r.kind !== 'recovered') throw new CaseStoreError('not-found', `case ${caseId} has no autosaved lung edits`);
        return r.record.labels;
      },
      discard: async (caseId: CaseId): Promise<null> => {
        slots.discard(caseId);
        return null;
      },
    },
  };
}
