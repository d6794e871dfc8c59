import type { ImportIssue, SeriesMetadata } from '../../../shared/dicom/types.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';

/** A series ready to be stored: what the DICOM or NIfTI importer produced. */
export interface SeriesToStore {
  readonly metadata: SeriesMetadata;
  readonly volume: Volume;
  readonly sourcePath: string;
  readonly sourceKind: 'dicom' | 'nifti';
  readonly issues: readonly ImportIssue[];
  /** The scan QC flags of the series when already computed (off the main thread, by the import worker). */
  readonly qcFlags?: readonly QcFlag[];
}

export interface StoredSeries {
  readonly caseId: CaseId;
  /** True when the same voxels were already in the store (nothing was added). */
  readonly duplicate: boolean;
}
