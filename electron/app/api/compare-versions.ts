import type { VersionComparison } from '../../../shared/contracts/workstation.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';

/**
 * `cases.compareVersions`: per-class Dice and volumes of two label versions of the same case
 * (shared agreement code), decoded and compared in a compute worker: the main thread only looks
 * the versions up.
 */
export async function compareVersionsOffThread(
  store: CaseStore,
  compute: CaseCompute,
  a: LabelVersionId,
  b: LabelVersionId,
): Promise<VersionComparison> {
  const va = store.labelVersion(a);
  const vb = store.labelVersion(b);
  if (va.caseId !== vb.caseId) throw new CaseStoreError('invalid', 'versions belong to different cases');
  const ml = voxelVolumeMl(store.getCase(va.caseId).geometry);
  const r = await compute.compareLabels(a, b, ml);
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
