import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** A row of the `signatures` table, as stored. */
export interface SignatureRow {
  id: number;
  case_id: number;
  kind: 'read' | 'adjudication';
  lesion_version_id: number;
  lesion_sha256: string;
  lung_version_id: number;
  lung_sha256: string;
  reader_id: number;
  reader_login: string;
  reader_name: string;
  reader_role: string;
  meaning: string;
  reason: string;
  signed_at: string;
}

/**
 * sha256 of a signature record (canonical JSON of every column). The audit entry of a signature
 * keeps it, so a signature row changed afterwards (who, what, when, meaning, bound hashes) no
 * longer matches its entry.
 */
export function signatureRecordSha256(r: SignatureRow): string {
  const record: Record<string, unknown> = {
    id: r.id,
    case_id: r.case_id,
    kind: r.kind,
    lesion_version_id: r.lesion_version_id,
    lesion_sha256: r.lesion_sha256,
    lung_version_id: r.lung_version_id,
    lung_sha256: r.lung_sha256,
    reader_id: r.reader_id,
    reader_login: r.reader_login,
    reader_name: r.reader_name,
    reader_role: r.reader_role,
    meaning: r.meaning,
    reason: r.reason,
    signed_at: r.signed_at,
  };
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}
