import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { CaseStoreError } from '../../services/cases/case-store.ts';
import type { AutosaveStore } from '../../services/autosave/autosave-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';

/** Lung label values: 0 outside, 1 right lung, 2 left lung (definitions lung-burden-v1). */
export const MAX_LUNG_LABEL = 2;
/** The rule a refused lung map names. */
export const LUNG_LABEL_RULE = 'lung labels are 0, 1 or 2';

export interface AfterLungSaveDeps {
  readonly compute: CaseCompute;
  /** The lung-mask autosave slots (`lungAutosave.*`): a saved lung version supersedes the case's slot. */
  readonly lungAutosave: AutosaveStore;
  /** Runs work after the reply (the stored burden and QC of the new lung version). */
  readonly background: (what: string, task: () => Promise<void>) => void;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Refuses lung labels with values other than 0/1/2, naming each wrong value and its voxel count.
 * Runs on the voxel counts the save's worker computed (no scan of the map on the main thread).
 */
export function checkLungCounts(counts: readonly number[]): void {
  const bad: string[] = [];
  for (let v = MAX_LUNG_LABEL + 1; v < counts.length; v++) if ((counts[v] ?? 0) > 0) bad.push(`${v} (${counts[v]} voxels)`);
  if (bad.length > 0)
    throw new CaseStoreError('invalid', `lung labels are 0 (outside), 1 (right) or 2 (left); found ${bad.slice(0, 5).join(', ')}`);
}

/**
 * What follows a saved lung version, however it was sent (full map or patch): the case's lung
 * autosave slot is dropped (as a lesion save drops the lesion slot: the renderer's own discard only
 * knows slots it staged in this session, not one restored from an earlier session), and the stored
 * burden of the case's latest lesion version is recomputed against it after the reply (with the
 * analysis QC).
 */
export function afterLungSave(deps: AfterLungSaveDeps, caseId: CaseId, info: LabelVersionInfo): void {
  const { compute } = deps;
  deps.lungAutosave.discard(caseId);
  deps.log?.('lung version saved', { caseId, version: info.version });
  const lesion = compute.store.latestLabelVersion(caseId, 'lesion');
  deps.background(`burden of case ${caseId} with lung v${info.version}`, async () => {
    await compute.recordBurdenAndQc(caseId, lesion?.id ?? null, null, 'background');
  });
}
