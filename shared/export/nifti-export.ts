import type { LabelMap } from '../domain/label-map.ts';
import type { Volume } from '../domain/volume.ts';
import { writeNifti } from '../nifti/write-nifti.ts';

/** The `descrip` written into exported NIfTI headers: a fixed text, never patient data. */
export const EXPORT_NIFTI_DESCRIPTION = 'Lung Burden export';

/** NIfTI files of one case: CT in HU (int16), lesions (uint8, 0/1/2), optional lung mask (uint8, 0/1/2). */
export interface NiftiCaseFiles {
  readonly image: Uint8Array;
  readonly lesions: Uint8Array;
  readonly lung: Uint8Array | null;
}

/**
 * Encodes a case for NIfTI-based exports (`.nii.gz`, same RAS affine in sform and qform, see
 * `writeNifti`). Label maps must be on the volume's grid. The header `descrip` is
 * {@link EXPORT_NIFTI_DESCRIPTION} and nothing else identifying is written (NIfTI has no other
 * free-text field that we fill), so the files carry no PHI; file names are the caller's.
 */
export function encodeNiftiCase(volume: Volume, lesions: LabelMap, lung: LabelMap | null): NiftiCaseFiles {
  const n = volume.data.length;
  if (lesions.data.length !== n || (lung && lung.data.length !== n)) {
    throw new RangeError('label maps must have one value per CT voxel');
  }
  const geometry = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
  const opts = { description: EXPORT_NIFTI_DESCRIPTION } as const;
  return {
    image: writeNifti(volume, opts),
    lesions: writeNifti({ ...geometry, data: lesions.data }, opts),
    lung: lung ? writeNifti({ ...geometry, data: lung.data }, opts) : null,
  };
}
