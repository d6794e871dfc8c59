import type { ReaderView } from '../../../shared/domain/reader.ts';
import { actorOf, AuthError, type ReaderAccounts } from './reader-accounts.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';

/** Minutes without any call that end a session (the next action asks for the password again). */
export const SESSION_IDLE_MINUTES = 30;

/**
 * The reader signed in on this workstation (one per main process: a desktop workstation has one
 * user at a time; the Electron window and the loopback bridge share it). The account is re-read
 * on every use, so a deactivation or lock takes effect at once; {@link SESSION_IDLE_MINUTES}
 * without a call end the session (audited), so an unattended workstation does not stay signed in.
 */
export class ReaderSession {
  private readerId: number | null = null;
  private since: string | null = null;
  private lastUse = 0;

  constructor(
    private readonly accounts: ReaderAccounts,
    private readonly audit: AuditTrail | null = null,
    private readonly idleMs = SESSION_IDLE_MINUTES * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts the session of an authenticated account. */
  start(reader: ReaderView): void {
    this.readerId = reader.id;
    this.since = new Date().toISOString();
    this.lastUse = this.clock();
  }

  end(): void {
    this.readerId = null;
    this.since = null;
  }

  /** When the current session started (ISO 8601), or null. */
  startedAt(): string | null {
    return this.since;
  }

  /** The signed-in, active account, or null. */
  current(): ReaderView | null {
    if (this.readerId === null) return null;
    const r = this.accounts.byId(this.readerId);
    if (!r || !r.active) {
      this.end();
      return null;
    }
    const t = this.clock();
    if (t - this.lastUse > this.idleMs) {
      this.audit?.append({
        actor: actorOf(r),
        action: 'account.logout',
        entity: `reader:${r.id}`,
        details: { reason: 'idle', idleMinutes: Math.round(this.idleMs / 60_000) },
      });
      this.end();
      return null;
    }
    this.lastUse = t;
    return r;
  }

  /** The signed-in account; refuses when nobody is signed in. */
  require(): ReaderView {
    const r = this.current();
    if (!r) throw new AuthError('not-signed-in', 'sign in first: saving, running the AI and signing are done as a reader');
    return r;
  }
}
