import type { AcquisitionFacts, ImportIssue } from '../dicom/types.ts';
import type { VolumeGeometry } from '../domain/volume.ts';
import type { HuLandmarks } from './hu-landmarks.ts';
import type { LungQcStats } from './lung-qc-stats.ts';
import type { LungMaskComparison } from '../imaging/combine-lung-masks.ts';

/**
 * How much a QC finding matters: `info` is worth knowing, `warning` may bias the numbers,
 * `blocking` means the burden cannot be trusted as is: sign-off is refused until a reader
 * acknowledges the flag with a reason.
 */
export type QcSeverity = 'info' | 'warning' | 'blocking';

/** Severities from most to least serious (display and sort order). */
export const QC_SEVERITIES: readonly QcSeverity[] = ['blocking', 'warning', 'info'];

/** One scan QC finding: a stable code, its severity and a sentence a reader understands. */
export interface QcFlag {
  readonly code: string;
  readonly severity: QcSeverity;
  readonly message: string;
}

/** Lesion figures of an analysis, for the "lesion outside the lung" check (mL). */
export interface LesionQcInput {
  readonly insideLungMl: number;
  readonly outsideLungMl: number;
}

/**
 * Everything the scan QC gate looks at. On import only the scan is known (geometry, tags, import
 * issues, HU landmarks); an analysis adds the lung mask statistics and the lesion figures. Checks
 * whose input is absent are skipped (never guessed).
 */
export interface ScanQcInput {
  readonly geometry: VolumeGeometry;
  /** DICOM Modality ('CT' for NIfTI imports). */
  readonly modality: string;
  /** 'dicom' or 'nifti': the DICOM-only checks (tags, intercept) need a DICOM source. */
  readonly sourceKind: 'dicom' | 'nifti';
  /** Tags and dropped/skipped files read on import (absent for NIfTI and older imports). */
  readonly acquisition?: AcquisitionFacts | undefined;
  /** Issues of the series' import (uneven spacing, gantry tilt, missing positions, UID quirks…). */
  readonly importIssues: readonly Pick<ImportIssue, 'code' | 'severity' | 'message'>[];
  readonly huLandmarks?: HuLandmarks | null | undefined;
  /** True when the DICOM files carry no FrameOfReferenceUID. */
  readonly frameOfReferenceMissing?: boolean | undefined;
  readonly lung?: LungQcStats | null | undefined;
  readonly lesion?: LesionQcInput | null | undefined;
  /** Classical vs learned lung volumes when the combined mask made the lung version. */
  readonly lungMasks?: LungMaskComparison | null | undefined;
}

/** One named check of the gate: a pure function of the input. */
export type QcCheck = (input: ScanQcInput) => QcFlag[];
