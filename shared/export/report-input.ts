import type { CaseDetail } from '../domain/case.ts';
import type { LabelVersionId } from '../domain/ids.ts';
import type { SeriesMetadata } from '../dicom/types.ts';
import type { SubjectTimeline } from '../trial/change-from-baseline.ts';
import type { BurdenResult } from './report-burden.ts';
import type { DoubleReadReport } from './double-read-report.ts';

/**
 * A reader's electronic signature of a lesion version (from the case store's signatures; records
 * made before accounts existed carry only the name and time).
 */
export interface SignOffRecord {
  readonly labelVersionId: LabelVersionId;
  /** Display name of the signer. */
  readonly reader: string;
  /** ISO 8601 UTC. */
  readonly signedAt: string;
  /** Role of the signer's account (`reader`, `adjudicator`, `admin`). */
  readonly role?: string;
  /** The meaning the signer stated. */
  readonly meaning?: string;
  /** sha256 of the signed lesion labels. */
  readonly lesionSha256?: string;
  /** The lung version signed with it and its sha256. */
  readonly lungVersionId?: LabelVersionId;
  readonly lungSha256?: string;
  /** `adjudication` when an adjudicator resolved two reads (with `reason`). */
  readonly kind?: 'read' | 'adjudication';
  readonly reason?: string;
}

/** Everything `buildReportData` needs; all of it comes from the case store. */
export interface ReportInput {
  readonly caseDetail: CaseDetail;
  readonly series: SeriesMetadata;
  /** The burden record printed (normally the case's latest). */
  readonly burdenRecord: {
    readonly lesionVersionId: LabelVersionId | null;
    readonly lungVersionId: LabelVersionId;
    /** ISO 8601 UTC. */
    readonly createdAt: string;
    readonly burden: BurdenResult;
  };
  readonly signOffs: readonly SignOffRecord[];
  /** ISO 8601 time the report is made. */
  readonly generatedAt: string;
  /** Application name and version printed in the footer. */
  readonly software: { readonly name: string; readonly version: string };
  /**
   * When set, the patient is shown only by this pseudonym: name, ID, birth date, accession number
   * and UIDs are left out of the report (for cohort exports leaving the site).
   */
  readonly pseudonym?: string;
  /** The case's scan QC flags with their acknowledgements (absent: not checked). */
  readonly qc?: readonly ReportQcFlag[];
  /** Clinical-trial context of the case, when the case store has one (see {@link ReportTrialContext}). */
  readonly trial?: ReportTrialContext;
  readonly doubleRead?: DoubleReadReport; // both signed reads + the adjudication (double-read studies)
}

/** A scan QC flag as a report prints it, with the reader's acknowledgement when there is one. */
export interface ReportQcFlag {
  readonly code: string;
  readonly severity: 'info' | 'warning' | 'blocking';
  readonly message: string;
  readonly acknowledgement: { readonly reader: string; readonly reason: string; readonly acknowledgedAt: string } | null;
}

/**
 * Where a case sits in a clinical trial (DICOM Clinical Trial Subject/Series attributes or what
 * the core lab set at import): printed with the identifiers when present, absent otherwise.
 * Empty strings are left out of the printout.
 */
export interface ReportTrialContext {
  readonly protocol: string;
  readonly site: string;
  readonly subject: string;
  /** Visit / timepoint name (e.g. "baseline", "week 4"). */
  readonly visit: string;
  /** Visit order (0 = baseline), visit date (`YYYY-MM-DD`), sponsor, and the subject's change from baseline (`shared/trial`). */
  readonly visitOrder?: number | null;
  readonly visitDate?: string;
  readonly sponsor?: string;
  readonly longitudinal?: SubjectTimeline;
}
