import type { LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { asCaseId, asLabelVersionId, type CaseId, type LabelVersionId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { Db } from './database.ts';
import { signatureOfVersion, signaturesOf } from './signature-rows.ts';

/** A row of `label_versions`. */
export interface VersionRow {
  id: number;
  case_id: number;
  kind: LabelKind;
  version: number;
  parent_id: number | null;
  author: string;
  author_kind: LabelAuthor['kind'];
  model_name: string | null;
  model_version: string | null;
  created_at: string;
  note: string;
  signed: number;
  sha256: string;
  counts_json: string;
  mean_entropy: number | null;
  reader_id: number | null;
}

export const VERSION_SELECT = `SELECT id, case_id, kind, version, parent_id, author, author_kind, model_name, model_version,
  created_at, note, signed, sha256, counts_json, mean_entropy, reader_id FROM label_versions`;

/** A stored label version as the contract shows it, with its signature (null when unsigned). */
export function versionInfo(r: VersionRow, signature: SignatureInfo | null): LabelVersionInfo {
  const author: LabelAuthor = {
    kind: r.author_kind,
    name: r.author,
    ...(r.model_name !== null ? { modelName: r.model_name } : {}),
    ...(r.model_version !== null ? { modelVersion: r.model_version } : {}),
    ...(r.reader_id !== null ? { readerId: r.reader_id } : {}),
  };
  return {
    id: asLabelVersionId(r.id),
    caseId: asCaseId(r.case_id),
    kind: r.kind,
    version: r.version,
    parentId: r.parent_id === null ? null : asLabelVersionId(r.parent_id),
    author,
    createdAt: r.created_at,
    note: r.note,
    signed: r.signed === 1,
    sha256: r.sha256,
    counts: JSON.parse(r.counts_json) as number[],
    signature,
  };
}

/** The versions of a case (of one kind, or all), in kind and version order, with their signatures. */
export function listVersions(db: Db, caseId: CaseId, kind?: LabelKind): LabelVersionInfo[] {
  const rows = (
    kind
      ? db.prepare(`${VERSION_SELECT} WHERE case_id = ? AND kind = ? ORDER BY kind, version`).all(caseId, kind)
      : db.prepare(`${VERSION_SELECT} WHERE case_id = ? ORDER BY kind, version`).all(caseId)
  ) as VersionRow[];
  const sigs = new Map(signaturesOf(db, caseId).map((g) => [g.lesionVersionId as number, g]));
  return rows.map((r) => versionInfo(r, sigs.get(r.id) ?? null));
}

/** The highest version of a kind, or null. */
export function latestVersion(db: Db, caseId: CaseId, kind: LabelKind): LabelVersionInfo | null {
  const r = db.prepare(`${VERSION_SELECT} WHERE case_id = ? AND kind = ? ORDER BY version DESC LIMIT 1`).get(caseId, kind) as
    VersionRow | undefined;
  return r ? versionInfo(r, signatureOfVersion(db, asLabelVersionId(r.id))) : null;
}

export function versionById(db: Db, id: LabelVersionId): LabelVersionInfo {
  const r = db.prepare(`${VERSION_SELECT} WHERE id = ?`).get(id) as VersionRow | undefined;
  if (!r) throw new CaseStoreError('not-found', `label version ${id} does not exist`);
  return versionInfo(r, signatureOfVersion(db, id));
}
