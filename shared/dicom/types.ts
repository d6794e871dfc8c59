import type { Volume } from '../domain/volume.ts';

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
}

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
