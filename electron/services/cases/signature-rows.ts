import { asCaseId, asLabelVersionId, type CaseId, type LabelVersionId } from '../../../shared/domain/ids.ts';
import type { CaseResult, ReaderRole, SignatureInfo } from '../../../shared/domain/reader.ts';
import type { SignatureRow } from '../audit/signature-record.ts';
import type { Db } from './database.ts';

/** A stored signature as the contract shows it. */
export function signatureInfo(r: SignatureRow): SignatureInfo {
  return {
    id: r.id,
    caseId: asCaseId(r.case_id),
    kind: r.kind,
    lesionVersionId: asLabelVersionId(r.lesion_version_id),
    lesionSha256: r.lesion_sha256,
    lungVersionId: asLabelVersionId(r.lung_version_id),
    lungSha256: r.lung_sha256,
    readerId: r.reader_id,
    readerLogin: r.reader_login,
    readerName: r.reader_name,
    readerRole: r.reader_role as ReaderRole,
    meaning: r.meaning,
    reason: r.reason,
    signedAt: r.signed_at,
  };
}

/** Every signature of a case, oldest first. */
export function signaturesOf(db: Db, caseId: CaseId): SignatureInfo[] {
  return (db.prepare('SELECT * FROM signatures WHERE case_id = ? ORDER BY id').all(caseId) as SignatureRow[]).map(signatureInfo);
}

/** The signature of a lesion version, or null. */
export function signatureOfVersion(db: Db, versionId: LabelVersionId): SignatureInfo | null {
  const r = db.prepare('SELECT * FROM signatures WHERE lesion_version_id = ?').get(versionId) as SignatureRow | undefined;
  return r ? signatureInfo(r) : null;
}

/**
 * The case's result: the signature a read study's rule names (`ruled`), else the newest
 * adjudication, else the newest read signature; null while
 * nothing is signed. Reports, exports and the worklist burden use it; later unsigned versions
 * (a re-run of the AI, an amendment in progress) never displace it.
 */
export function caseResultOf(db: Db, caseId: CaseId, ruled?: number | null): CaseResult | null {
  // a read study's result rule names the signature (null: none yet); undefined: the default rule
  if (ruled === null) return null;
  const r = (
    ruled !== undefined
      ? db.prepare('SELECT * FROM signatures WHERE id = ? AND case_id = ?').get(ruled, caseId)
      : db.prepare(`SELECT * FROM signatures WHERE case_id = ? ORDER BY (kind = 'adjudication') DESC, id DESC LIMIT 1`).get(caseId)
  ) as SignatureRow | undefined;
  if (!r) return null;
  const v = (id: number): number => (db.prepare('SELECT version FROM label_versions WHERE id = ?').get(id) as { version: number }).version;
  return { signature: signatureInfo(r), lesionVersion: v(r.lesion_version_id), lungVersion: v(r.lung_version_id) };
}
