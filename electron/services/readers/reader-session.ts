import type { ReaderView } from '../../../shared/domain/reader.ts';
import { AuthError, type ReaderAccounts } from './reader-accounts.ts';

/**
 * The reader signed in on this workstation (one per main process: a desktop workstation has one
 * user at a time; the Electron window and the loopback bridge share it). The account is re-read
 * on every use, so a deactivation or lock takes effect at once.
 */
export class ReaderSession {
  private readerId: number | null = null;
  private since: string | null = null;

  constructor(private readonly accounts: ReaderAccounts) {}

  /** Starts the session of an authenticated account. */
  start(reader: ReaderView): void {
    this.readerId = reader.id;
    this.since = new Date().toISOString();
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
    return r;
  }

  /** The signed-in account; refuses when nobody is signed in. */
  require(): ReaderView {
    const r = this.current();
    if (!r) throw new AuthError('not-signed-in', 'sign in first: saving, running the AI and signing are done as a reader');
    return r;
  }
}
