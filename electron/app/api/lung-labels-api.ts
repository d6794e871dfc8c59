import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import { countLabels } from '../../services/cases/label-encoding.ts';
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
 * The values other than lung labels in `bytes`, as `value (n voxels)`; empty when all are 0/1/2.
 * A plain scan first (≈ 0.1 s for 512×512×600 voxels on this machine), the histogram only for the message.
 */
function invalidLungValues(bytes: Uint8Array): string[] {
  let ok = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! > MAX_LUNG_LABEL) {
      ok = false;
      break;
    }
  }
  if (ok) return [];
  const counts = countLabels(bytes);
  const out: string[] = [];
  for (let v = MAX_LUNG_LABEL + 1; v < counts.length; v++) if (counts[v]! > 0) out.push(`${v} (${counts[v]} voxels)`);
  return out;
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
    const bad = invalidLungValues(bytes);
    if (bad.length > 0) throw new CaseStoreError('invalid', `lung labels are 0 (outside), 1 (right) or 2 (left); found ${bad.slice(0, 5).join(', ')}`);
    if (parentId !== null) {
      const parent = store.labelVersion(parentId);
      if (parent.caseId !== caseId || parent.kind !== 'lung') throw new CaseStoreError('invalid', `version ${parentId} is not a lung version of case ${caseId}`);
    }
    const { info } = await compute.saveLabelVersion(caseId, 'lung', bytes, { kind: 'reader', name: me.displayName, readerId: me.id }, { parentId, note, by: actorOf(me) });
    deps.log?.('lung version saved', { caseId, version: info.version });
    const lesion = store.latestLabelVersion(caseId, 'lesion');
    deps.background(`burden of case ${caseId} with lung v${info.version}`, async () => { await compute.recordBurdenAndQc(caseId, lesion?.id ?? null, null, 'interactive'); });
    return info;
  };
}
