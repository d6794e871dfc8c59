import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { WorkstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { isLatestOf, sendPatchOrFull, type SentLabels } from './send-patch-or-full.ts';

export interface LungSaveRequest {
  readonly caseId: CaseId;
  /** The lung-mask edit session. */
  readonly session: EditSession;
  /** The lung version the mask was opened from or last saved as (null: none saved yet). */
  readonly parent: LabelVersionInfo | null;
  /** The case as last read: a patch is sent only when `parent` is its latest lung version. */
  readonly detail: CaseDetail;
  readonly note: string;
}

/**
 * Saves the reader's lung-mask edits as a new lung version, as lesion saves are sent: the changed
 * blocks with the sha256 of the full mask (`labelPatches.saveLungPatch`), else, or when refused, the
 * full mask (`cases.saveLungLabels`). The marks are given back if the save fails: nothing is lost.
 */
export function saveLungLabels(api: WorkstationApi, req: LungSaveRequest): Promise<SentLabels<LabelVersionInfo>> {
  const { caseId, note } = req;
  const parentId = req.parent?.id ?? null;
  return sendPatchOrFull({
    session: req.session,
    patchable: isLatestOf(req.detail, 'lung', req.parent),
    takeMarks: true,
    patch: (patch, sha256) => api.labelPatches.saveLungPatch(caseId, patch, parentId, sha256, note),
    full: (labels) => api.cases.saveLungLabels(caseId, labels, parentId, note),
  });
}

/**
 * Stages the lung mask in the case's lung autosave slot: the changed blocks since `parentId` (the
 * marks stay for the save; `labelPatches.stageLungPatch`), else, or when refused, the full mask
 * (`lungAutosave.stage`).
 */
export function stageLungLabels(
  api: WorkstationApi,
  caseId: CaseId,
  session: EditSession,
  parentId: LabelVersionInfo['id'] | null,
): Promise<SentLabels<{ savedAt: string }>> {
  return sendPatchOrFull({
    session,
    patchable: true,
    takeMarks: false,
    patch: (patch, sha256) => api.labelPatches.stageLungPatch(caseId, patch, parentId, sha256),
    full: (labels) => api.lungAutosave.stage(caseId, labels, parentId),
  });
}
