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

/** Index of the first voxel whose value is not a lung label, or -1. */
function firstInvalidLungVoxel(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > MAX_LUNG_LABEL) return i;
  return -1;
}

/**
 * `cases.saveLungLabels`: the reader's corrected lung mask (the burden's denominator) saved as a
 * new lung version, like a lesion save (reader author with id, audit `label.save` by the reader).
 * The stored burden of the case's latest lesion version is then recomputed against the new lung
 * version in the background (with the analysis QC). A signed result keeps the lung version its
 * signature bound; the next signature binds the latest lung version.
 */
export function createLungLabelsApi(deps: LungLabelsApiDeps): (caseId: CaseId, bytes: Uint8Array, parentId: LabelVersionId | null, note: string) => Promise<LabelVersionInfo> {
  const { store, compute } = deps;
  return async (caseId, bytes, parentId, note) => {
    const me = deps.reader();
    store.getCase(caseId);
    const bad = firstInvalidLungVoxel(bytes);
    if (bad >= 0) throw new CaseStoreError('invalid', `lung labels are 0 (outside), 1 (right) or 2 (left); voxel ${bad} is ${bytes[bad]}`);
    if (parentId !== null) {
      const parent = store.labelVersion(parentId);
      if (parent.caseId !== caseId || parent.kind !== 'lung') throw new CaseStoreError('invalid', `version ${parentId} is not a lung version of case ${caseId}`);
    }
    const { info } = await compute.saveLabelVersion(caseId, 'lung', bytes, { kind: 'reader', name: me.displayName, readerId: me.id }, { parentId, note, by: actorOf(me) });
    deps.log?.('lung version saved', { caseId, version: info.version });
    const lesion = store.latestLabelVersion(caseId, 'lesion');
    deps.background(`burden of case ${caseId} with lung v${info.version}`, async () => void (await compute.recordBurdenAndQc(caseId, lesion?.id ?? null, null, 'interactive')));
    return info;
  };
}
