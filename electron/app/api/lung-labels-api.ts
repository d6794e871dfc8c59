import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';

/** Lung label values: 0 outside, 1 right lung, 2 left lung (definitions lung-burden-v1). */
const MAX_LUNG_LABEL = 2;

export interface LungLabelsApiDeps {
  readonly store: CaseStore;
  readonly compute: CaseCompute;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** Runs work after the reply (the stored burden and QC of the new lung version). */
  readonly background: (what: string, task: () => Promise<void>) => void;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Refuses lung labels with values other than 0/1/2, naming each wrong value and its voxel count.
 * Runs on the voxel counts the save's worker computed (no scan of the map on the main thread).
 */
function checkLungCounts(counts: readonly number[]): void {
  const bad: string[] = [];
  for (let v = MAX_LUNG_LABEL + 1; v < counts.length; v++) if ((counts[v] ?? 0) > 0) bad.push(`${v} (${counts[v]} voxels)`);
  if (bad.length > 0)
    throw new CaseStoreError('invalid', `lung labels are 0 (outside), 1 (right) or 2 (left); found ${bad.slice(0, 5).join(', ')}`);
}

/**
 * `cases.saveLungLabels`: the reader's corrected lung mask (the burden's denominator) saved as a
 * new lung version, like a lesion save (reader author with id, audit `label.save` by the reader).
 * The stored burden of the case's latest lesion version is then recomputed against the new lung
 * version in the background (with the analysis QC). A signed result keeps the lung version its
 * signature bound; the next signature binds the latest lung version.
 */
export function createLungLabelsApi(
  deps: LungLabelsApiDeps,
): (caseId: CaseId, bytes: Uint8Array, parentId: LabelVersionId | null, note: string) => Promise<LabelVersionInfo> {
  const { store, compute } = deps;
  return async (caseId, bytes, parentId, note) => {
    const me = deps.reader();
    store.getCase(caseId);
    if (parentId !== null) {
      const parent = store.labelVersion(parentId);
      if (parent.caseId !== caseId || parent.kind !== 'lung')
        throw new CaseStoreError('invalid', `version ${parentId} is not a lung version of case ${caseId}`);
    }
    const { info } = await compute.saveLabelVersion(
      caseId,
      'lung',
      bytes,
      { kind: 'reader', name: me.displayName, readerId: me.id },
      { parentId, note, by: actorOf(me) },
      'interactive',
      true,
      checkLungCounts,
    );
    deps.log?.('lung version saved', { caseId, version: info.version });
    const lesion = store.latestLabelVersion(caseId, 'lesion');
    deps.background(`burden of case ${caseId} with lung v${info.version}`, async () => {
      await compute.recordBurdenAndQc(caseId, lesion?.id ?? null, null, 'background');
    });
    return info;
  };
}
