import type { CaseStatus } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { Db } from './database.ts';

/**
 * Sets the case's workflow status from what it holds (never from a caller's say-so): `signed`
 * once it has a signature, `in-review` once a reader saved a version, `ai-done` once a model
 * made one, else `new`. A change is recorded in the audit trail. Call inside the writing transaction.
 */
export function refreshCaseStatus(db: Db, audit: AuditTrail, caseId: CaseId, by: AuditActor): CaseStatus {
  const r = db.prepare('SELECT status FROM cases WHERE id = ?').get(caseId) as { status: CaseStatus } | undefined;
  if (!r) throw new CaseStoreError('not-found', `case ${caseId} does not exist`);
  const has = (sql: string): boolean => db.prepare(sql).get(caseId) !== undefined;
  const next: CaseStatus = has('SELECT 1 FROM signatures WHERE case_id = ?')
    ? 'signed'
    : has(`SELECT 1 FROM label_versions WHERE case_id = ? AND author_kind = 'reader'`)
      ? 'in-review'
      : has(`SELECT 1 FROM label_versions WHERE case_id = ? AND kind = 'lesion' AND author_kind = 'model'`)
        ? 'ai-done'
        : 'new';
  if (next !== r.status) {
    db.prepare('UPDATE cases SET status = ?, updated_at = ? WHERE id = ?').run(next, new Date().toISOString(), caseId);
    audit.append({ actor: by, action: 'status.change', caseId, entity: `case:${caseId}`, details: { from: r.status, to: next } });
  }
  return next;
}
