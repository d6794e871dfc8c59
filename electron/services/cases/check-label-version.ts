import type { LabelAuthor } from '../../../shared/domain/case.ts';
import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { CaseRow } from './case-rows.ts';

/** Refuses a label map whose voxel count is not the case volume's, or one without an author. */
export function checkLabelVersion(r: CaseRow, labels: { readonly length: number }, author: LabelAuthor): void {
  const g = JSON.parse(r.geometry_json) as VolumeGeometry;
  const n = g.size[0] * g.size[1] * g.size[2];
  if (labels.length !== n) {
    throw new CaseStoreError('invalid', `label map has ${labels.length} voxels, the case volume has ${n}`);
  }
  if (!author.name.trim()) throw new CaseStoreError('invalid', 'a label version needs an author');
}
