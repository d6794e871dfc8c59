import type { LabelPatchRefusal } from '../../../shared/contracts/label-patches.ts';
import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { WorkstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { isLatestOf, sendPatchOrFull } from './send-patch-or-full.ts';

/** What a lesion save sent and how it ended. */
export interface LesionSaveResult {
  readonly version: LabelVersionInfo;
  /** `patch`: only the changed blocks crossed; `full`: the whole map. */
  readonly via: 'patch' | 'full';
  /** Why a patch was refused before the full map was sent (null: none was refused). */
  readonly refused: LabelPatchRefusal | null;
}

export interface LesionSaveRequest {
  readonly caseId: CaseId;
  readonly session: EditSession;
  /** The version the session's labels were opened from or last saved as (null: empty labels). */
  readonly parent: LabelVersionInfo | null;
  /** The case as last read: a patch is sent only when `parent` is its latest lesion version. */
  readonly detail: CaseDetail;
  readonly note: string;
}

/**
 * Saves the session's lesion labels as a new version. Usually only the blocks changed since the
 * labels were opened or last saved cross the boundary (`labelPatches.saveLesionPatch`), with the
 * sha256 of the full map on screen, which the main process checks after rebuilding it; when the
 * parent is not the latest version, too much changed, or the patch is refused (another save
 * happened, a blinded read, a mismatch), the full map is sent (`cases.saveLesionLabels`). The marks
 * of the changed blocks are taken when the save starts (edits made while it runs go to the next
 * save) and given back if it fails: nothing is lost (`sendPatchOrFull`).
 */
export async function saveLesionLabels(api: WorkstationApi, req: LesionSaveRequest): Promise<LesionSaveResult> {
  const { caseId, parent, note } = req;
  const parentId = parent?.id ?? null;
  const r = await sendPatchOrFull({
    session: req.session,
    patchable: isLatestOf(req.detail, 'lesion', parent),
    takeMarks: true,
    patch: (patch, sha256) => api.labelPatches.saveLesionPatch(caseId, patch, parentId, sha256, note),
    full: (labels) => api.cases.saveLesionLabels(caseId, labels, parentId, note),
  });
  return { version: r.value, via: r.via, refused: r.refused };
}

/**
 * Stages the session's lesion labels in the autosave slot: the changed blocks since `parentId` (the
 * marks stay: they belong to the next save) with the sha256 of the full map
 * (`labelPatches.stageLesionPatch`), else, or when refused, the full map (`autosave.stage`).
 */
export async function stageLesionLabels(
  api: WorkstationApi,
  caseId: CaseId,
  session: EditSession,
  parentId: LabelVersionInfo['id'] | null,
): Promise<{ savedAt: string; via: 'patch' | 'full' }> {
  const r = await sendPatchOrFull({
    session,
    patchable: true,
    takeMarks: false,
    patch: (patch, sha256) => api.labelPatches.stageLesionPatch(caseId, patch, parentId, sha256),
    full: (labels) => api.autosave.stage(caseId, labels, parentId),
  });
  return { ...r.value, via: r.via };
}
