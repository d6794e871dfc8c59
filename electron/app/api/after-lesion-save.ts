import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { AutosaveStore } from '../../services/autosave/autosave-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import type { BackgroundQueue } from '../background-queue.ts';

export interface AfterLesionSaveDeps {
  readonly compute: CaseCompute;
  readonly autosave: AutosaveStore;
  readonly background: BackgroundQueue;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * What follows a saved lesion version, however it was sent (full map or patch): the autosave slot
 * is dropped, and the stored burden (worklist, reports) is computed after the reply from `labels`
 * (the version's full map, MOVED to the worker): the reader already sees the live burden of these
 * labels, and the reads that show stored burdens (list, burden, sign-off) wait for it.
 */
export function afterLesionSave(deps: AfterLesionSaveDeps, caseId: CaseId, v: LabelVersionInfo, labels: Uint8Array): void {
  deps.autosave.discard(caseId);
  deps.log?.('label version saved', { caseId, version: v.version });
  deps.background.run(`burden of case ${caseId} v${v.version}`, async () => {
    await deps.compute.recordBurdenAndQc(caseId, v.id, labels, 'background');
  });
}
