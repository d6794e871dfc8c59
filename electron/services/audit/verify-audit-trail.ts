import { createHash } from 'node:crypto';
import type { Db } from '../cases/database.ts';
import { storedLabelsOf } from '../cases/label-chain.ts';
import { reconstructLabels } from '../cases/label-encoding.ts';
import { entryHash, GENESIS_HASH, rowToEntry, type AuditAnchor, type AuditEntry, type AuditTrail } from './audit-trail.ts';
import { signatureRecordSha256, type SignatureRow } from './signature-record.ts';

/** One thing found wrong. `seq` is the audit entry concerned (null: a record with no entry). */
export interface AuditProblem {
  readonly seq: number | null;
  readonly entity: string;
  readonly problem: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly entries: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly anchor: AuditAnchor | null;
  /** Sorted: chain problems by seq first, then records without an entry. */
  readonly problems: readonly AuditProblem[];
}

interface VersionRow {
  id: number;
  case_id: number;
  kind: string;
  version: number;
  signed: number;
  sha256: string;
  byte_length: number;
  data: Buffer;
}

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/**
 * Walks the whole audit trail and the signed records it covers, recomputing everything; relies on
 * no trigger, so a database edited directly (triggers dropped) is judged the same way:
 * - the chain: sequence numbers 1…n without gap, each prev_hash the previous entry's hash, each
 *   hash = sha256(prev_hash ‖ canonical JSON) — an edited, deleted or inserted row breaks it;
 * - the head against the anchor file beside the database — removing or re-hashing the newest
 *   entries (or rebuilding the chain) leaves it behind;
 * - every signature row against its audit entry (sha256 of the record), and every signature entry
 *   against an existing row;
 * - every label version saved since the trail began against its `label.save` entry (sha256), and
 *   the bytes of every signed lesion and lung version against their sha256 and the signature's.
 */
export function verifyAuditTrail(db: Db, trail: AuditTrail): AuditVerification {
  const problems: AuditProblem[] = [];
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Parameters<typeof rowToEntry>[0][];
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  let prevSeq = 0;
  rows.forEach((r) => {
    let e: AuditEntry;
    try {
      e = rowToEntry(r);
    } catch {
      problems.push({ seq: r.seq, entity: r.entity, problem: 'details are not valid JSON (row modified)' });
      prev = r.hash;
      prevSeq = r.seq;
      return;
    }
    entries.push(e);
    if (e.seq !== prevSeq + 1)
      problems.push({
        seq: e.seq,
        entity: e.entity,
        problem: `sequence number ${e.seq} where ${prevSeq + 1} was expected (an entry was deleted or inserted before it)`,
      });
    if (e.prevHash !== prev)
      problems.push({
        seq: e.seq,
        entity: e.entity,
        problem: 'prev_hash does not match the previous entry (an entry before it was deleted, inserted or modified)',
      });
    if (entryHash(e) !== e.hash) problems.push({ seq: e.seq, entity: e.entity, problem: 'hash does not match the entry (entry modified)' });
    prev = e.hash;
    prevSeq = e.seq;
  });
  const last = rows.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : null;

  let anchor: AuditAnchor | null = null;
  try {
    anchor = trail.readAnchor();
  } catch (e) {
    problems.push({
      seq: null,
      entity: 'anchor',
      problem: `the head anchor cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  if (head && !anchor) problems.push({ seq: head.seq, entity: 'anchor', problem: `the head anchor file ${trail.anchorPath} is missing` });
  if (anchor) {
    const at = rows.find((r) => r.seq === anchor.seq);
    if (!head || anchor.seq > head.seq)
      problems.push({
        seq: anchor.seq,
        entity: 'anchor',
        problem: `the chain ends at seq ${head?.seq ?? 0} but the anchor names seq ${anchor.seq}: entries at the end were deleted`,
      });
    else if (!at || at.hash !== anchor.hash)
      problems.push({
        seq: anchor.seq,
        entity: 'anchor',
        problem: `entry ${anchor.seq} does not have the anchored hash (the chain was rebuilt)`,
      });
    else if (anchor.seq < head.seq)
      problems.push({
        seq: anchor.seq + 1,
        entity: 'anchor',
        problem: `${head.seq - anchor.seq} entries after the anchored head (seq ${anchor.seq}) were not appended by the software (inserted)`,
      });
  }

  // Signatures against their entries.
  const sigEntries = new Map<string, AuditEntry[]>();
  const saveEntries = new Map<string, AuditEntry[]>();
  for (const e of entries) {
    const m = e.action === 'signature' || e.action === 'adjudication' ? sigEntries : e.action === 'label.save' ? saveEntries : null;
    if (m) m.set(e.entity, [...(m.get(e.entity) ?? []), e]);
  }
  const sigs = db.prepare('SELECT * FROM signatures ORDER BY id').all() as SignatureRow[];
  const sigIds = new Set<string>();
  for (const s of sigs) {
    const entity = `signature:${s.id}`;
    sigIds.add(entity);
    const es = sigEntries.get(entity) ?? [];
    if (es.length === 0)
      problems.push({
        seq: null,
        entity,
        problem: 'signature has no audit entry (its entry was deleted, or it was inserted outside the software)',
      });
    else if (es.length > 1) problems.push({ seq: es[1]!.seq, entity, problem: 'signature has more than one audit entry' });
    else if (es[0]!.entitySha256 !== signatureRecordSha256(s))
      problems.push({ seq: es[0]!.seq, entity, problem: 'signature record differs from the one signed (modified)' });
  }
  for (const [entity, es] of sigEntries)
    if (!sigIds.has(entity)) problems.push({ seq: es[0]!.seq, entity, problem: 'signature of this entry no longer exists (deleted)' });

  // Label versions against their entries; signed bytes against their hashes.
  const start = entries.find((e) => e.action === 'audit.start');
  const before = typeof start?.details['labelVersionsBefore'] === 'number' ? start.details['labelVersionsBefore'] : 0;
  const versions = db
    .prepare('SELECT id, case_id, kind, version, signed, sha256, byte_length, data FROM label_versions ORDER BY id')
    .all() as VersionRow[];
  const byId = new Map(versions.map((v) => [v.id, v]));
  const versionIds = new Set<string>();
  for (const v of versions) {
    const entity = `label_version:${v.id}`;
    versionIds.add(entity);
    if (v.id <= before) continue;
    const es = saveEntries.get(entity) ?? [];
    if (es.length === 0)
      problems.push({
        seq: null,
        entity,
        problem: `case ${v.case_id} ${v.kind} v${v.version} has no audit entry (its entry was deleted, or it was inserted outside the software)`,
      });
    else if (es[0]!.entitySha256 !== v.sha256)
      problems.push({
        seq: es[0]!.seq,
        entity,
        problem: `case ${v.case_id} ${v.kind} v${v.version}: sha256 differs from the one saved (modified)`,
      });
  }
  for (const [entity, es] of saveEntries)
    if (!versionIds.has(entity))
      problems.push({ seq: es[0]!.seq, entity, problem: 'label version of this entry no longer exists (deleted)' });
  const checked = new Set<number>();
  const checkBytes = (id: number, expected: string, what: string, seqOf: number | null): void => {
    const v = byId.get(id);
    if (!v) {
      problems.push({ seq: seqOf, entity: `label_version:${id}`, problem: `${what} no longer exists (deleted)` });
      return;
    }
    if (v.sha256 !== expected)
      problems.push({
        seq: seqOf,
        entity: `label_version:${id}`,
        problem: `${what}: stored sha256 differs from the signed one (modified)`,
      });
    if (checked.has(id)) return;
    checked.add(id);
    let actual = '';
    try {
      // a version stored as a patch is rebuilt from its chain (migration 8); its sha256 is of the full map
      const stored = storedLabelsOf(db, id);
      actual = stored ? sha256(reconstructLabels(stored, `label version ${id}`)) : 'undecodable';
    } catch {
      actual = 'undecodable';
    }
    if (actual !== v.sha256)
      problems.push({
        seq: seqOf,
        entity: `label_version:${id}`,
        problem: `${what}: label bytes do not match their sha256 (data modified)`,
      });
  };
  for (const s of sigs) {
    const seq = sigEntries.get(`signature:${s.id}`)?.[0]?.seq ?? null;
    checkBytes(s.lesion_version_id, s.lesion_sha256, `signed lesion version of signature ${s.id}`, seq);
    checkBytes(s.lung_version_id, s.lung_sha256, `signed lung version of signature ${s.id}`, seq);
    if (byId.get(s.lesion_version_id)?.signed === 0)
      problems.push({
        seq,
        entity: `label_version:${s.lesion_version_id}`,
        problem: 'signed lesion version is no longer marked signed (modified)',
      });
  }
  for (const v of versions) {
    if (v.signed === 1 && v.id > before && !sigs.some((s) => s.lesion_version_id === v.id)) {
      problems.push({
        seq: saveEntries.get(`label_version:${v.id}`)?.[0]?.seq ?? null,
        entity: `label_version:${v.id}`,
        problem: 'marked signed without a signature (modified)',
      });
    }
  }

  problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return { ok: problems.length === 0, entries: rows.length, head, anchor, problems };
}
