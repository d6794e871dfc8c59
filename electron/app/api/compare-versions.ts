import type { VersionComparison } from '../../../shared/contracts/workstation.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import { pairAgreement } from '../../../shared/imaging/agreement.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';

/** Per-class Dice and volumes of two lesion versions of the same case (shared agreement code). */
export function compareVersions(store: CaseStore, a: LabelVersionId, b: LabelVersionId): VersionComparison {
  const va = store.labelVersion(a);
  const vb = store.labelVersion(b);
  if (va.caseId !== vb.caseId) throw new CaseStoreError('invalid', 'versions belong to different cases');
  const ml = voxelVolumeMl(store.getCase(va.caseId).geometry);
  const r = pairAgreement(store.loadLabels(a), store.loadLabels(b), ml);
  return {
    a,
    b,
    dice: r.dice,
    volumeMl: {
      a: { ggo: r.volumeMlA.ggo, highOpacity: r.volumeMlA.highOpacity },
      b: { ggo: r.volumeMlB.ggo, highOpacity: r.volumeMlB.highOpacity },
    },
  };
}
