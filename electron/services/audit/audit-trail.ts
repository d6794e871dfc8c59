import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Db } from '../cases/database.ts';
import type { AuditEntryView } from '../../../shared/contracts/audit.ts';
import { canonicalJson } from './canonical-json.ts';

/** Who did something: a reader account (login name and role), or the software itself. */
export interface AuditActor {
  readonly name: string;
  /** `reader` / `adjudicator` / `admin` for accounts; `system` for the software; `cli` for a command run by an OS user. */
  readonly role: string;
}

export const SYSTEM_ACTOR: AuditActor = { name: 'system', role: 'system' };

/** The actor of a command-line run: the operating-system user (the CLI has no reader login). */
export function cliActor(): AuditActor {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    name = process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
  return { name, role: 'cli' };
}

/**
 * Event kinds of the trail. Other modules may append their own (e.g. `qc.acknowledge`); these are
 * the ones the workstation writes.
 */
export type AuditAction =
  | 'audit.start'
  | 'case.import'
  | 'ai.run'
  | 'label.save'
  | 'signature'
  | 'adjudication'
  | 'export'
  | 'report'
  | 'status.change'
  | 'account.create'
  | 'account.login'
  | 'account.login-failed'
  | 'account.locked'
  | 'account.unlock'
  | 'account.password'
  | 'account.logout'
  | 'qc.acknowledge'
  | (string & { readonly __custom?: never });

/** What a caller appends. `entity` names the record (`label_version:12`, `case:3`, `reader:2`). */
export interface AuditEvent {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly caseId?: number | null;
  readonly entity: string;
  /** sha256 (hex) of what the entity is: label bytes, signature record, exported file …; '' when none. */
  readonly sha256?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** One stored row of the trail: the entry as the contract shows it, plus the link to the previous row. */
export interface AuditEntry extends AuditEntryView {
  readonly prevHash: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  actor_role: string;
  action: string;
  case_id: number | null;
  entity: string;
  entity_sha256: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The part of an entry its hash covers (everything but the hash itself), canonical JSON. */
export function entryPayload(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    actorRole: e.actorRole,
    action: e.action,
    caseId: e.caseId,
    entity: e.entity,
    entitySha256: e.entitySha256,
    details: e.details,
  });
}

/** hash = sha256(prev_hash ‖ canonical JSON of the entry), hex. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(e.prevHash).update(entryPayload(e)).digest('hex');
}

export function rowToEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    actorRole: r.actor_role,
    action: r.action,
    caseId: r.case_id,
    entity: r.entity,
    entitySha256: r.entity_sha256,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The chain head as kept in the anchor file beside the database. */
export interface AuditAnchor {
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
}

/**
 * The tamper-evident audit trail: an append-only table in the case database where each entry's
 * hash covers the previous entry's hash and the entry's canonical JSON, so changing, removing or
 * inserting a row breaks the chain. The head (last seq and hash) is also written to an anchor file
 * beside the database after every committed append, so removing or re-hashing the newest entries
 * is caught as well. Verification (`verifyAuditTrail`) recomputes everything and does not rely on
 * the database triggers.
 */
export class AuditTrail {
  constructor(
    private readonly db: Db,
    /** `<dataDir>/audit-head.json`. */
    readonly anchorPath: string,
  ) {}

  /**
   * Appends one event and returns the stored entry. Runs in (or joins) a transaction; when the
   * caller holds an outer transaction, it must call {@link syncAnchor} after committing it.
   */
  append(e: AuditEvent): AuditEntry {
    const run = this.db.transaction((): AuditEntry => {
      const last = this.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const base = {
        seq: (last?.seq ?? 0) + 1,
        at: new Date().toISOString(),
        actor: e.actor.name,
        actorRole: e.actor.role,
        action: e.action,
        caseId: e.caseId ?? null,
        entity: e.entity,
        entitySha256: e.sha256 ?? '',
        details: JSON.parse(canonicalJson(e.details ?? {})) as Record<string, unknown>,
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.db
        .prepare(
          `INSERT INTO audit_log (seq, at, actor, actor_role, action, case_id, entity, entity_sha256, details_json, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.seq,
          entry.at,
          entry.actor,
          entry.actorRole,
          entry.action,
          entry.caseId,
          entry.entity,
          entry.entitySha256,
          canonicalJson(entry.details),
          entry.prevHash,
          entry.hash,
        );
      return entry;
    });
    const nested = this.db.inTransaction;
    const entry = nested ? run() : run.immediate();
    if (!nested) this.syncAnchor();
    return entry;
  }

  /** Writes the committed chain head to the anchor file (atomically, fsynced). */
  syncAnchor(): void {
    if (this.db.inTransaction) return;
    const last = this.db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditAnchor | undefined;
    if (!last) return;
    const tmp = `${this.anchorPath}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, `${JSON.stringify({ seq: last.seq, hash: last.hash, at: last.at })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.anchorPath);
  }

  /** The anchor file's head, or null when there is none. */
  readAnchor(): AuditAnchor | null {
    if (!existsSync(this.anchorPath)) return null;
    const a = JSON.parse(readFileSync(this.anchorPath, 'utf8')) as Partial<AuditAnchor>;
    if (typeof a.seq !== 'number' || typeof a.hash !== 'string') throw new Error(`${this.anchorPath} is not an audit anchor`);
    return { seq: a.seq, hash: a.hash, at: a.at ?? '' };
  }

  /** Entries in sequence order; with `caseId`, only that case's. */
  entries(opts: { caseId?: number } = {}): AuditEntry[] {
    const rows = (
      opts.caseId === undefined
        ? this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all()
        : this.db.prepare('SELECT * FROM audit_log WHERE case_id = ? ORDER BY seq').all(opts.caseId)
    ) as AuditRow[];
    return rows.map(rowToEntry);
  }

  /** Number of entries. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
  }
}
