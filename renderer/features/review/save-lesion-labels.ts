import { ContractError } from '../../../shared/contracts/contract.ts';
import type { LabelPatchRefusal } from '../../../shared/contracts/label-patches.ts';
import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { WorkstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';

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

const REFUSALS: readonly string[] = ['stale-parent', 'patch-mismatch', 'corrupt-patch'] satisfies LabelPatchRefusal[];

/** Sends at most this fraction of the map as a patch; more goes as the full map. */
const MAX_PATCH_FRACTION = 1 / 2;

/** `crypto.subtle` exists only in a secure context (the app's pages are: file:, 127.0.0.1). */
const subtleCrypto = (): SubtleCrypto | undefined => (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;

/** A refusal of a patch call (the caller then sends the full map). */
const refusalOf = (e: unknown): LabelPatchRefusal | null =>
  e instanceof ContractError && e.reason !== undefined && REFUSALS.includes(e.reason) ? (e.reason as LabelPatchRefusal) : null;

const hex = (b: ArrayBuffer): string => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * Saves the session's lesion labels as a new version. Usually only the blocks changed since the
 * labels were opened or last saved cross the boundary (`labelPatches.saveLesionPatch`), with the
 * sha256 of the full map on screen, which the main process checks after rebuilding it; when the
 * parent is not the latest version, too much changed, or the patch is refused (another save
 * happened, a blinded read, a mismatch), the full map is sent (`cases.saveLesionLabels`). The marks
 * of the changed blocks are taken when the save starts (edits made while it runs go to the next
 * save) and given back if it fails: nothing is lost.
 */
export async function saveLesionLabels(api: WorkstationApi, req: LesionSaveRequest): Promise<LesionSaveResult> {
  const { caseId, session, parent, note } = req;
  const labels = session.labels.data as Uint8Array<ArrayBuffer>;
  const blocks = session.changedSinceSave;
  const latest = req.detail.labelVersions.filter((v) => v.kind === 'lesion').at(-1) ?? null;
  const subtle = subtleCrypto();
  const taken = blocks.take();
  try {
    let refused: LabelPatchRefusal | null = null;
    if ((latest?.id ?? null) === (parent?.id ?? null) && taken.count * blocks.blockVoxels <= labels.length * MAX_PATCH_FRACTION && subtle) {
      // patch and digest read the labels in this same task (digest copies them before it returns)
      const patch = blocks.patchOf(labels, taken) as Uint8Array<ArrayBuffer>;
      const digest = subtle.digest('SHA-256', labels);
      try {
        return {
          version: await api.labelPatches.saveLesionPatch(caseId, patch, parent?.id ?? null, hex(await digest), note),
          via: 'patch',
          refused: null,
        };
      } catch (e) {
        refused = refusalOf(e);
        if (!refused) throw e;
      }
    }
    return { version: await api.cases.saveLesionLabels(caseId, labels, parent?.id ?? null, note), via: 'full', refused };
  } catch (e) {
    blocks.restore(taken);
    throw e;
  }
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
  const labels = session.labels.data as Uint8Array<ArrayBuffer>;
  const blocks = session.changedSinceSave;
  const subtle = subtleCrypto();
  if (subtle && blocks.count * blocks.blockVoxels <= labels.length * MAX_PATCH_FRACTION) {
    const patch = blocks.patchOf(labels) as Uint8Array<ArrayBuffer>;
    const digest = subtle.digest('SHA-256', labels);
    try {
      return { ...(await api.labelPatches.stageLesionPatch(caseId, patch, parentId, hex(await digest))), via: 'patch' };
    } catch (e) {
      if (!refusalOf(e)) throw e;
    }
  }
  return { ...(await api.autosave.stage(caseId, labels, parentId)), via: 'full' };
}
