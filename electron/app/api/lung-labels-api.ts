import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { afterLungSave, checkLungCounts, type AfterLungSaveDeps } from './after-lung-save.ts';

export interface LungLabelsApiDeps extends AfterLungSaveDeps {
  readonly store: CaseStore;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
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
    afterLungSave(deps, caseId, info);
    return info;
  };
}
