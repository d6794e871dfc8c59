import type { Volume } from '../domain/volume.ts';
import type { ClinicalTrialAttributes } from './clinical-trial-attributes.ts';

/** A problem found while importing, reported to the reader (never silently ignored). */
export interface ImportIssue {
  readonly severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. `not-dicom`, `truncated`, `gantry-tilt`, `uneven-spacing`. */
  readonly code: string;
  readonly message: string;
  /** File the issue concerns, relative to the imported root, when it concerns one file. */
  readonly file?: string;
}

/** Identifying and descriptive attributes of an imported series (strings as read, may be empty). */
export interface SeriesMetadata {
  readonly patientId: string;
  readonly patientName: string;
  readonly patientBirthDate: string;
  readonly patientSex: string;
  readonly studyInstanceUid: string;
  readonly studyDate: string;
  readonly studyDescription: string;
  readonly accessionNumber: string;
  /**
   * Study Time (TM), Study ID and Referring Physician's Name (PN, as stored) of the source study,
   * carried into derived objects (DICOM SEG) so they join the same study. Optional: absent on
   * cases imported before these were read (treated as empty).
   */
  readonly studyTime?: string;
  readonly studyId?: string;
  readonly referringPhysicianName?: string;
  readonly seriesInstanceUid: string;
  readonly seriesNumber: string;
  readonly seriesDescription: string;
  readonly modality: string;
  readonly manufacturer: string;
  readonly convolutionKernel: string;
  readonly sliceThicknessMm: number | null;
  readonly frameOfReferenceUid: string;
  /** SOP Instance UIDs in slice order (k = 0 … n−1); needed by DICOM SEG export. */
  readonly sopInstanceUids: readonly string[];
  /**
   * 1-based frame number of each slice within its instance (k = 0 … n−1); all 1 for single-frame
   * images. Optional (added by the DICOM importer for Enhanced CT, whose slices are frames of one
   * instance); absent means every slice is frame 1.
   */
  readonly frameNumbers?: readonly number[];
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  /**
   * SOP Instance UIDs as read from the files (k = 0 … n−1), present only when some were replaced in
   * {@link sopInstanceUids} by derived stable UIDs (empty, syntactically invalid or shared by
   * different slices): `originalSopInstanceUids[k]` → `sopInstanceUids[k]` is the per-slice mapping
   * exports record beside what they reference. See `stable-instance-uids.ts`.
   */
  readonly originalSopInstanceUids?: readonly string[];
  /** The Study Instance UID as read, when it was not a valid DICOM UID and a derived one replaced it. */
  readonly originalStudyInstanceUid?: string;
  /** The Series Instance UID as read, when it was not a valid DICOM UID and a derived one replaced it. */
  readonly originalSeriesInstanceUid?: string;
  /** Acquisition facts read on import for the scan QC gate (`shared/qc`); absent for NIfTI and older imports. */
  readonly acquisition?: AcquisitionFacts;
  /** DICOM Clinical Trial attributes of the series, when present (absent for series outside a trial). */
  readonly clinicalTrial?: ClinicalTrialAttributes;
}

/** A file left out of an imported series, and why (the import issue's code). */
export interface DroppedFile {
  /** Path relative to the imported root. */
  readonly file: string;
  readonly code: string;
  readonly severity: 'error' | 'warning';
}

/** What the importer read or saw that the scan QC gate needs (tags, dropped files). */
export interface AcquisitionFacts {
  /** BodyPartExamined (0018,0015) as stored, upper case; empty when absent. */
  readonly bodyPartExamined: string;
  /** GantryDetectorTilt (0018,1120) in degrees; null when absent. */
  readonly gantryDetectorTiltDeg: number | null;
  /** ContrastBolusAgent (0018,0010); empty when absent (not tagged, not "no contrast"). */
  readonly contrastBolusAgent: string;
  /** Slices whose RescaleIntercept was absent or not a number (then taken as 0). */
  readonly interceptMissingSlices: number;
  /** Slices of this series left out of its volume (duplicate positions, uneven spacing). */
  readonly droppedSlices: readonly DroppedFile[];
  /**
   * Files of the same import that gave no slice to any series (not DICOM, not CT, localizer,
   * truncated, undecodable; at most {@link MAX_LISTED_FILES}); every series of the import lists them.
   */
  readonly skippedFiles: readonly DroppedFile[];
  /** Number of skipped files (may exceed the listed ones). */
  readonly skippedFileCount: number;
  /** Files that were the same instance as a kept slice (same UID, position and pixels): not lost. */
  readonly duplicateFiles: number;
  /** Slices sharing their SOP Instance UID with a different slice of the series. */
  readonly nonUniqueUidSlices: number;
  /** Slices whose SOP Instance UID was empty. */
  readonly emptyUidSlices: number;
}

/** Most dropped/skipped files listed per series in {@link AcquisitionFacts}. */
export const MAX_LISTED_FILES = 500;

/** One series turned into a volume. */
export interface ImportedSeries {
  readonly metadata: SeriesMetadata;
  readonly volume: Volume;
  /** Source files (relative to the imported root) in slice order. */
  readonly files: readonly string[];
  readonly issues: readonly ImportIssue[];
}

/** Result of importing a folder or file set: every series found plus every problem found. */
export interface ImportResult {
  readonly series: readonly ImportedSeries[];
  /** Problems not tied to one accepted series (skipped files, rejected series, …). */
  readonly issues: readonly ImportIssue[];
}

/** Progress callback: files done / total. */
export type ImportProgress = (done: number, total: number, file: string) => void;
