import type { CaseId, LabelVersionId, SeriesId } from './ids.ts';
import type { CaseResult, SignatureInfo } from './reader.ts';
import type { VolumeGeometry } from './volume.ts';

/** Workflow status of a case: imported → model run → reader editing → signed off. */
export const CASE_STATUSES = ['new', 'ai-done', 'in-review', 'signed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Which label map a version belongs to. */
export type LabelKind = 'lesion' | 'lung';

/** Who produced a label version. */
export interface LabelAuthor {
  readonly kind: 'model' | 'reader' | 'algorithm';
  /** Reader identity, model name or algorithm name. */
  readonly name: string;
  readonly modelName?: string;
  readonly modelVersion?: string;
  /** Reader account that saved the version (reader-authored versions saved with accounts). */
  readonly readerId?: number;
}

/** One immutable, saved version of a case's lesion or lung label map. */
export interface LabelVersionInfo {
  readonly id: LabelVersionId;
  readonly caseId: CaseId;
  readonly kind: LabelKind;
  /** 1, 2, 3 … per case and kind. */
  readonly version: number;
  readonly parentId: LabelVersionId | null;
  readonly author: LabelAuthor;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly note: string;
  readonly signed: boolean;
  readonly sha256: string;
  /** Voxel count per label value (index = label). */
  readonly counts: readonly number[];
  /** The electronic signature of this (lesion) version, when it is signed with one. */
  readonly signature?: SignatureInfo | null;
}

/** A row of the worklist. */
export interface CaseSummary {
  readonly id: CaseId;
  readonly seriesId: SeriesId;
  readonly status: CaseStatus;
  readonly patientId: string;
  readonly patientName: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly seriesDescription: string;
  readonly seriesNumber: string;
  readonly modality: string;
  readonly sliceCount: number;
  readonly burdenPercent: number | null;
  readonly modelVersion: string | null;
  readonly lastReader: string | null;
  readonly updatedAt: string;
  /** Mean softmax entropy inside the lung from the last model run (null before AI). */
  readonly uncertainty: number | null;
  /** The signed version reports and exports use (its burden is `burdenPercent`); null while unsigned. */
  readonly result?: CaseResult | null;
}

/** Everything the review screen needs about a case, except voxels. */
export interface CaseDetail extends CaseSummary {
  readonly geometry: VolumeGeometry;
  readonly sourcePath: string;
  readonly sourceKind: 'dicom' | 'nifti';
  readonly issues: readonly { severity: 'error' | 'warning'; code: string; message: string }[];
  readonly labelVersions: readonly LabelVersionInfo[];
}
