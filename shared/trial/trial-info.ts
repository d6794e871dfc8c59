import type { ClinicalTrialAttributes } from '../dicom/clinical-trial-attributes.ts';
import { defaultVisitOrder } from './visit-order.ts';

/**
 * Where a case sits in a clinical trial: protocol, sponsor, site, subject and visit. The values
 * are the sponsor's identifiers (DICOM LO, at most 64 characters each); the protocol id shares its
 * value space with the read studies' protocol ids.
 */
export interface TrialFields {
  readonly protocolId: string;
  readonly sponsorName: string;
  readonly siteId: string;
  readonly subjectId: string;
  /** Visit / timepoint name as the protocol calls it (`baseline`, `follow-up 1`, `BL`, `WEEK4`). */
  readonly visitLabel: string;
  /** Free-text description of the timepoint (DICOM Clinical Trial Time Point Description). */
  readonly visitDescription: string;
  /**
   * Position of the visit in the subject's schedule: 0 = baseline, N = follow-up N. Orders the
   * subject's timeline and names the baseline; null when unknown (such a visit is listed after the
   * ordered ones, by date, and never taken as baseline).
   */
  readonly visitOrder: number | null;
  /** Date of the visit, `YYYY-MM-DD` (default: the DICOM StudyDate); '' when unknown. */
  readonly visitDate: string;
}

/** Who set the stored trial fields last: read from DICOM at import, given at import, or edited. */
export type TrialInfoSource = 'dicom' | 'import' | 'edit';

/** The stored trial fields of one case (`case_trial_info`), with who set them last and when. */
export interface CaseTrialInfo extends TrialFields {
  readonly caseId: number;
  readonly source: TrialInfoSource;
  /** ISO 8601 UTC. */
  readonly updatedAt: string;
  /** `login (role)` of the reader, or the OS user of a CLI run, or `system`. */
  readonly updatedBy: string;
}

/** No trial context: every field empty. */
export const EMPTY_TRIAL_FIELDS: TrialFields = {
  protocolId: '',
  sponsorName: '',
  siteId: '',
  subjectId: '',
  visitLabel: '',
  visitDescription: '',
  visitOrder: null,
  visitDate: '',
};

/** DICOM DA `YYYYMMDD` (or an ISO date) → `YYYY-MM-DD`; '' when it is not a valid calendar date. */
export function isoDateOf(dicomDate: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(dicomDate.trim());
  if (!m) return '';
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const t = new Date(`${y}-${mo}-${d}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.getUTCDate() !== Number(d) ? '' : `${y}-${mo}-${d}`;
}

/**
 * The trial fields a series brings at import: its DICOM Clinical Trial attributes (visit label =
 * Time Point ID, else its description; visit order from the label, see `defaultVisitOrder`) and
 * the StudyDate as visit date. All empty but the date for a series outside a trial.
 */
export function trialFieldsFromDicom(meta: { readonly clinicalTrial?: ClinicalTrialAttributes; readonly studyDate: string }): TrialFields {
  const t = meta.clinicalTrial;
  const visitLabel = t ? t.timePointId || t.timePointDescription : '';
  return {
    protocolId: t?.protocolId ?? '',
    sponsorName: t?.sponsorName ?? '',
    siteId: t?.siteId ?? '',
    subjectId: t?.subjectId ?? '',
    visitLabel,
    visitDescription: t?.timePointDescription ?? '',
    visitOrder: t ? (defaultVisitOrder(visitLabel) ?? defaultVisitOrder(t.timePointDescription)) : null,
    visitDate: isoDateOf(meta.studyDate),
  };
}

/** True when the fields place the case in a trial (any identifier or visit given). */
export function hasTrialContext(f: TrialFields): boolean {
  return (
    [f.protocolId, f.sponsorName, f.siteId, f.subjectId, f.visitLabel, f.visitDescription].some((v) => v !== '') || f.visitOrder !== null
  );
}

/** The fields that differ between two sets: `{ field: [before, after] }` (the audit trail's record of an edit). */
export function changedTrialFields(
  before: TrialFields,
  after: TrialFields,
): Record<string, [string | number | null, string | number | null]> {
  const out: Record<string, [string | number | null, string | number | null]> = {};
  for (const k of Object.keys(EMPTY_TRIAL_FIELDS) as (keyof TrialFields)[]) if (before[k] !== after[k]) out[k] = [before[k], after[k]];
  return out;
}

/** The trial fields alone (drops the stored row's case id, source and who/when). */
export function pickTrialFields(t: TrialFields): TrialFields {
  return {
    protocolId: t.protocolId,
    sponsorName: t.sponsorName,
    siteId: t.siteId,
    subjectId: t.subjectId,
    visitLabel: t.visitLabel,
    visitDescription: t.visitDescription,
    visitOrder: t.visitOrder,
    visitDate: t.visitDate,
  };
}

/**
 * Fields given at import on top of what a case holds (its DICOM attributes): every non-empty given
 * text wins; the given visit order wins when a visit was named or an order given.
 */
export function mergeTrialFields(base: TrialFields, given: TrialFields): TrialFields {
  const pick = (k: Exclude<keyof TrialFields, 'visitOrder'>): string => given[k] || base[k];
  return {
    protocolId: pick('protocolId'),
    sponsorName: pick('sponsorName'),
    siteId: pick('siteId'),
    subjectId: pick('subjectId'),
    visitLabel: pick('visitLabel'),
    visitDescription: pick('visitDescription'),
    visitDate: pick('visitDate'),
    visitOrder: given.visitLabel !== '' || given.visitOrder !== null ? given.visitOrder : base.visitOrder,
  };
}
