import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import { signatureRecordSha256, type SignatureRow } from '../audit/signature-record.ts';
import type { SignatureInput } from './store-inputs.ts';
import { refreshCaseStatus } from './case-status.ts';
import type { Db } from './database.ts';

/**
 * Writes a checked signature in one transaction: the signature row, the frozen lesion version,
 * the legacy sign-off log, the audit entry (sha256 of the signature record) and the case status.
 * Answers the signature id.
 */
export function insertSignature(
  db: Db,
  audit: AuditTrail,
  input: SignatureInput,
  lesion: LabelVersionInfo,
  lung: LabelVersionInfo,
): number {
  const { caseId, reader } = input;
  const by: AuditActor = { name: reader.login, role: reader.role };
  return db.transaction(() => {
    const t = new Date().toISOString();
    const res = db
      .prepare(
        `INSERT INTO signatures (case_id, kind, lesion_version_id, lesion_sha256, lung_version_id, lung_sha256, reader_id, reader_login,
           reader_name, reader_role, meaning, reason, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        caseId,
        input.kind,
        lesion.id,
        lesion.sha256,
        lung.id,
        lung.sha256,
        reader.id,
        reader.login,
        reader.displayName,
        reader.role,
        input.meaning,
        input.reason ?? '',
        t,
      );
    const sid = Number(res.lastInsertRowid);
    db.prepare('UPDATE label_versions SET signed = 1 WHERE id = ? AND signed = 0').run(lesion.id);
    // The sign-off log of earlier versions, kept filled for readers of it.
    db.prepare(
      'INSERT INTO signoffs (case_id, label_version_id, reader, signed_at) VALUES (?, ?, ?, ?) ON CONFLICT (label_version_id) DO NOTHING',
    ).run(caseId, lesion.id, reader.displayName, t);
    const row = db.prepare('SELECT * FROM signatures WHERE id = ?').get(sid) as SignatureRow;
    audit.append({
      actor: by,
      action: input.kind === 'adjudication' ? 'adjudication' : 'signature',
      caseId,
      entity: `signature:${sid}`,
      sha256: signatureRecordSha256(row),
      details: {
        lesionVersion: lesion.version,
        lesionSha256: lesion.sha256,
        lungVersion: lung.version,
        lungSha256: lung.sha256,
        meaning: input.meaning,
        reason: input.reason ?? '',
      },
    });
    refreshCaseStatus(db, audit, caseId, by);
    return sid;
  })();
}
