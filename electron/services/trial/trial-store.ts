import { createHash } from 'node:crypto';
import type { Db } from '../cases/database.ts';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import { canonicalJson } from '../audit/canonical-json.ts';
import type { SeriesMetadata } from '../../../shared/dicom/types.ts';
import {
  changedTrialFields,
  EMPTY_TRIAL_FIELDS,
  hasTrialContext,
  pickTrialFields,
  trialFieldsFromDicom,
  type CaseTrialInfo,
  type TrialFields,
  type TrialInfoSource,
} from '../../../shared/trial/trial-info.ts';

/** A refused trial-information change (the dispatcher maps `code` as it does the case store's errors). */
export class TrialInfoError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'TrialInfoError';
  }
}

interface TrialRow {
  case_id: number;
  protocol_id: string;
  sponsor_name: string;
  site_id: string;
  subject_id: string;
  visit_label: string;
  visit_description: string;
  visit_order: number | null;
  visit_date: string;
  source: TrialInfoSource;
  updated_at: string;
  updated_by: string;
}

const info = (r: TrialRow): CaseTrialInfo => ({
  caseId: r.case_id,
  protocolId: r.protocol_id,
  sponsorName: r.sponsor_name,
  siteId: r.site_id,
  subjectId: r.subject_id,
  visitLabel: r.visit_label,
  visitDescription: r.visit_description,
  visitOrder: r.visit_order,
  visitDate: r.visit_date,
  source: r.source,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The trial fields alone (what is hashed into the audit entry). */
export const trialFieldsOf = pickTrialFields;

const fieldsSha256 = (t: TrialFields): string =>
  createHash('sha256')
    .update(canonicalJson(trialFieldsOf(t)))
    .digest('hex');

/** The stored trial fields of a case, or null. */
export function getTrialInfo(db: Db, caseId: number): CaseTrialInfo | null {
  const r = db.prepare('SELECT * FROM case_trial_info WHERE case_id = ?').get(caseId) as TrialRow | undefined;
  return r ? info(r) : null;
}

/** Every stored row, by case id. */
export function listTrialInfo(db: Db): CaseTrialInfo[] {
  return (db.prepare('SELECT * FROM case_trial_info ORDER BY case_id').all() as TrialRow[]).map(info);
}

/** The stored rows of one subject of one protocol. */
export function subjectTrialInfo(db: Db, protocolId: string, subjectId: string): CaseTrialInfo[] {
  return (
    db
      .prepare('SELECT * FROM case_trial_info WHERE protocol_id = ? AND subject_id = ? ORDER BY case_id')
      .all(protocolId, subjectId) as TrialRow[]
  ).map(info);
}

/** True when the case has a signature (or was signed before accounts existed). */
export function caseIsSigned(db: Db, caseId: number): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM cases WHERE id = ? AND (status = 'signed' OR EXISTS (SELECT 1 FROM signatures WHERE case_id = ?))`)
      .get(caseId, caseId) !== undefined
  );
}

export interface SetTrialInfoOptions {
  readonly actor: AuditActor;
  readonly source: TrialInfoSource;
  /** Required (at least 3 characters) when the case is signed; recorded in the audit trail. */
  readonly reason?: string | null;
}

/**
 * Sets a case's trial fields and appends one `trial.set` audit entry (in one transaction) with
 * every changed field's before/after value, the source, and the reason. The rule a sponsor's
 * auditor expects: before sign-off the fields may be corrected freely (each change audited);
 * once the case is signed they change only with a stated reason (21 CFR 11.10(e): who, when,
 * what, why), and the signed labels and burden are never touched by such a change.
 * Unchanged fields: nothing is written.
 */
export function setTrialInfo(db: Db, audit: AuditTrail, caseId: number, fields: TrialFields, o: SetTrialInfoOptions): CaseTrialInfo {
  if (db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId) === undefined)
    throw new TrialInfoError('not-found', `case ${caseId} does not exist`);
  const next = trialFieldsOf(fields);
  const result = db.transaction((): CaseTrialInfo => {
    const before = getTrialInfo(db, caseId);
    const changes = changedTrialFields(before ?? EMPTY_TRIAL_FIELDS, next);
    if (before && Object.keys(changes).length === 0) return before;
    const signed = caseIsSigned(db, caseId);
    const reason = o.reason?.trim() ?? '';
    if (signed && reason.length < 3) {
      throw new TrialInfoError(
        'invalid',
        `case ${caseId} is signed: its trial information changes only with a reason (at least 3 characters), recorded in the audit trail`,
      );
    }
    const at = new Date().toISOString();
    const by = `${o.actor.name} (${o.actor.role})`;
    db.prepare(
      `INSERT INTO case_trial_info (case_id, protocol_id, sponsor_name, site_id, subject_id, visit_label, visit_description, visit_order, visit_date, source, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (case_id) DO UPDATE SET protocol_id = excluded.protocol_id, sponsor_name = excluded.sponsor_name, site_id = excluded.site_id,
         subject_id = excluded.subject_id, visit_label = excluded.visit_label, visit_description = excluded.visit_description,
         visit_order = excluded.visit_order, visit_date = excluded.visit_date, source = excluded.source, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run(
      caseId,
      next.protocolId,
      next.sponsorName,
      next.siteId,
      next.subjectId,
      next.visitLabel,
      next.visitDescription,
      next.visitOrder,
      next.visitDate,
      o.source,
      at,
      by,
    );
    audit.append({
      actor: o.actor,
      action: 'trial.set',
      caseId,
      entity: `case_trial_info:${caseId}`,
      sha256: fieldsSha256(next),
      details: { source: o.source, changes, caseSigned: signed, ...(reason ? { reason } : {}) },
    });
    const stored = getTrialInfo(db, caseId);
    if (!stored) throw new TrialInfoError('invalid', `trial information of case ${caseId} was not stored`);
    return stored;
  })();
  audit.syncAnchor();
  return result;
}

/**
 * At import (inside the import's transaction): stores the DICOM Clinical Trial attributes of a new
 * case (`source` dicom, visit date = StudyDate). Series outside a trial store nothing.
 */
export function recordDicomTrialInfo(db: Db, audit: AuditTrail, caseId: number, meta: SeriesMetadata, actor: AuditActor): void {
  const fields = trialFieldsFromDicom(meta);
  if (!hasTrialContext(fields)) return;
  setTrialInfo(db, audit, caseId, fields, { actor, source: 'dicom' });
}
