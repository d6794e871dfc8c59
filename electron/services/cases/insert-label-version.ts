import type { LabelAuthor, LabelKind } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { copyPatchOf, recordPatch, type PatchOf } from './label-chain.ts';
import { SYSTEM_ACTOR, type AuditTrail } from '../audit/audit-trail.ts';
import type { LabelVersionOptions } from './store-inputs.ts';
import { refreshCaseStatus } from './case-status.ts';
import type { Db } from './database.ts';

/** One label version to append: encoded bytes (deflate, sha256 of the raw bytes, class counts), author and options. */
export interface NewLabelVersion {
  readonly caseId: CaseId;
  readonly kind: LabelKind;
  readonly byteLength: number;
  readonly enc: {
    readonly counts: number[];
    readonly blob: Uint8Array;
    readonly digest: string;
    readonly patchOf?: PatchOf;
    readonly copyOf?: LabelVersionId;
  };
  readonly author: LabelAuthor;
  readonly opts: LabelVersionOptions;
}

/** Appends the next version number of its kind (never overwrites), audits it and refreshes the case status; answers its id. */
export function insertLabelVersion(db: Db, audit: AuditTrail, v: NewLabelVersion): number {
  const { caseId, kind, byteLength, enc, author, opts } = v;
  return db.transaction(() => {
    const next =
      ((db.prepare('SELECT MAX(version) AS v FROM label_versions WHERE case_id = ? AND kind = ?').get(caseId, kind) as { v: number | null })
        .v ?? 0) + 1;
    const res = db
      .prepare(
        `INSERT INTO label_versions (case_id, kind, version, parent_id, author, author_kind, model_name, model_version,
           created_at, note, signed, encoding, byte_length, sha256, counts_json, mean_entropy, data, reader_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'deflate-u8', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        caseId,
        kind,
        next,
        opts.parentId ?? null,
        author.name,
        author.kind,
        author.modelName ?? null,
        author.modelVersion ?? null,
        new Date().toISOString(),
        opts.note ?? '',
        byteLength,
        enc.digest,
        JSON.stringify(enc.counts),
        opts.meanEntropy ?? null,
        enc.blob,
        author.kind === 'reader' ? (author.readerId ?? null) : null,
      );
    const vid = Number(res.lastInsertRowid);
    if (enc.patchOf) recordPatch(db, vid, enc.patchOf);
    if (enc.copyOf !== undefined) copyPatchOf(db, enc.copyOf, vid);
    db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(new Date().toISOString(), caseId);
    const by = opts.by ?? (author.kind === 'reader' ? { name: author.name, role: 'reader' } : SYSTEM_ACTOR);
    audit.append({
      actor: by,
      action: 'label.save',
      caseId,
      entity: `label_version:${vid}`,
      sha256: enc.digest,
      details: {
        kind,
        version: next,
        parentId: opts.parentId ?? null,
        author: author.name,
        authorKind: author.kind,
        readerId: author.readerId ?? null,
        model: author.modelName ? `${author.modelName} ${author.modelVersion ?? ''}`.trim() : null,
        note: opts.note ?? '',
      },
    });
    refreshCaseStatus(db, audit, caseId, by);
    return vid;
  })();
}
