import { toCsv } from '../../shared/export/csv-table.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { verifyAuditTrail } from '../services/audit/verify-audit-trail.ts';

/** Exit code of `audit --verify` when the trail (or a signed record it covers) was tampered with. */
export const EXIT_AUDIT_BROKEN = 6;

export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'actor_role',
  'action',
  'case_id',
  'entity',
  'entity_sha256',
  'details',
  'prev_hash',
  'hash',
] as const;

export interface AuditCommandOptions {
  /** A case id, or null for the whole trail (`--all`). */
  readonly caseId: number | null;
  readonly dataDir: string;
  readonly json: boolean;
  readonly csv: boolean;
  readonly verify: boolean;
  readonly out: (text: string) => void;
  readonly log: (msg: string) => void;
}

/**
 * `lung-burden audit <case-id|--all> [--json|--csv] [--verify]`: prints the audit trail (of one
 * case, or all of it) as text, JSON or CSV. `--verify` walks the WHOLE chain and the signed
 * records it covers (a case's entries are only verifiable as part of the chain) and returns
 * {@link EXIT_AUDIT_BROKEN}, naming the first broken entry, when anything was modified, deleted or
 * inserted; 0 when intact.
 */
export function runAuditCommand(o: AuditCommandOptions): number {
  const store = CaseStore.open(o.dataDir);
  try {
    if (o.caseId !== null) store.getCase(o.caseId as never);
    const entries = store.audit.entries(o.caseId === null ? {} : { caseId: o.caseId });
    const v = o.verify ? verifyAuditTrail(store.db, store.audit) : null;
    if (o.json) {
      o.out(
        `${JSON.stringify({ caseId: o.caseId, entries, ...(v ? { verification: { ok: v.ok, entries: v.entries, head: v.head, anchor: v.anchor, problems: v.problems } } : {}) }, null, 2)}\n`,
      );
    } else if (o.csv) {
      o.out(
        toCsv(
          AUDIT_CSV_COLUMNS,
          entries.map((e) => ({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            actor_role: e.actorRole,
            action: e.action,
            case_id: e.caseId,
            entity: e.entity,
            entity_sha256: e.entitySha256,
            details: JSON.stringify(e.details),
            prev_hash: e.prevHash,
            hash: e.hash,
          })),
        ),
      );
    } else {
      for (const e of entries) {
        o.out(
          `${String(e.seq).padStart(6)}  ${e.at}  ${`${e.actor} (${e.actorRole})`.padEnd(28)} ${e.action.padEnd(20)} ${e.caseId === null ? '-' : `case ${e.caseId}`}  ${e.entity}${e.entitySha256 ? ` sha256 ${e.entitySha256.slice(0, 16)}…` : ''}  ${JSON.stringify(e.details)}\n`,
        );
      }
    }
    if (!v) return 0;
    if (v.ok) {
      o.log(
        `audit trail intact: ${v.entries} entries, head seq ${v.head?.seq ?? 0} hash ${v.head?.hash ?? '-'} (matches ${store.audit.anchorPath})`,
      );
      return 0;
    }
    const first = v.problems[0]!;
    o.log(
      `audit trail BROKEN: first broken entry ${first.seq === null ? `(no entry) ${first.entity}` : `seq ${first.seq} (${first.entity})`}: ${first.problem}`,
    );
    for (const p of v.problems.slice(1)) o.log(`  also: ${p.seq === null ? '-' : `seq ${p.seq}`} ${p.entity}: ${p.problem}`);
    return EXIT_AUDIT_BROKEN;
  } finally {
    store.close();
  }
}
