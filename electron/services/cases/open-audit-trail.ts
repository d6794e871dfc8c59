import { AuditTrail, SYSTEM_ACTOR } from '../audit/audit-trail.ts';
import type { Db } from './database.ts';

/**
 * The store's hash-chained audit trail (head anchored in `headFile`). A new trail starts with an
 * `audit.start` entry: label versions and cases made before it are named, not covered.
 */
export function openAuditTrail(db: Db, headFile: string): AuditTrail {
  const audit = new AuditTrail(db, headFile);
  if (audit.count() === 0) {
    const before = db.prepare('SELECT COALESCE(MAX(id), 0) AS v FROM label_versions').get() as { v: number };
    const cases = db.prepare('SELECT COALESCE(MAX(id), 0) AS c FROM cases').get() as { c: number };
    audit.append({
      actor: SYSTEM_ACTOR,
      action: 'audit.start',
      entity: 'store',
      details: { labelVersionsBefore: before.v, casesBefore: cases.c },
    });
  }
  return audit;
}
