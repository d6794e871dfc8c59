import { ContractError } from '../../../shared/contracts/contract.ts';
import { READER_ROLES, type ReaderRole, type ReaderView } from '../../../shared/domain/reader.ts';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import type { Db } from '../cases/database.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.ts';

/** Consecutive failed password checks (logins and signature re-authentications) that lock an account. */
export const MAX_FAILED_ATTEMPTS = 5;
/** How long a locked account refuses passwords, in minutes. */
export const LOCK_MINUTES = 15;

interface ReaderRow {
  id: number;
  login: string;
  display_name: string;
  role: ReaderRole;
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
}

/** An authentication or authorisation refusal (the contract's `unauthorized`). */
export class AuthError extends ContractError {
  constructor(
    override readonly reason: 'invalid-credentials' | 'locked' | 'inactive' | 'forbidden' | 'not-signed-in' | 'exists' | 'weak-password',
    message: string,
  ) {
    super('unauthorized', message, reason);
    this.name = 'AuthError';
  }
}

/** A new account. */
export interface NewReader {
  readonly login: string;
  readonly displayName: string;
  readonly role: ReaderRole;
  readonly password: string;
}

const view = (r: ReaderRow): ReaderView => ({
  id: r.id,
  login: r.login,
  displayName: r.display_name,
  role: r.role,
  active: r.active === 1,
  lockedUntil: r.locked_until !== null && Date.parse(r.locked_until) > Date.now() ? r.locked_until : null,
  failedAttempts: r.failed_attempts,
  createdAt: r.created_at,
});

/** The audit actor of an account. */
export const actorOf = (r: Pick<ReaderView, 'login' | 'role'>): AuditActor => ({ name: r.login, role: r.role });

/**
 * Reader accounts in the case store: unique login, display name, role, scrypt password hash
 * (`password-hash.ts`). Every password check, for logging in and for signing, counts towards the
 * lock-out: {@link MAX_FAILED_ATTEMPTS} failures in a row lock the account for {@link LOCK_MINUTES}
 * minutes. Creations, logins, failures, locks, unlocks and password changes go to the audit trail.
 */
export class ReaderAccounts {
  // An unknown login still costs one key derivation, so timing does not tell which logins exist.
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditTrail,
  ) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM readers').get() as { n: number }).n;
  }

  list(): ReaderView[] {
    return (this.db.prepare('SELECT * FROM readers ORDER BY login').all() as ReaderRow[]).map(view);
  }

  byId(id: number): ReaderView | null {
    const r = this.db.prepare('SELECT * FROM readers WHERE id = ?').get(id) as ReaderRow | undefined;
    return r ? view(r) : null;
  }

  byLogin(login: string): ReaderView | null {
    const r = this.row(login);
    return r ? view(r) : null;
  }

  private row(login: string): ReaderRow | undefined {
    return this.db.prepare('SELECT * FROM readers WHERE login = ?').get(login.trim()) as ReaderRow | undefined;
  }

  /**
   * Creates an account. `by` is the admin creating it, or null for the first account of the store
   * (which must be an admin and is only allowed while there is no account at all).
   */
  async create(r: NewReader, by: ReaderView | null): Promise<ReaderView> {
    const login = r.login.trim();
    const displayName = r.displayName.trim();
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(login))
      throw new AuthError('invalid-credentials', 'the login name must be 2-64 letters, digits or . _ @ -');
    if (!displayName || displayName.length > 200) throw new AuthError('invalid-credentials', 'the display name must be 1-200 characters');
    if (!READER_ROLES.includes(r.role)) throw new AuthError('forbidden', `unknown role ${r.role}`);
    if (by === null) {
      if (this.count() > 0) throw new AuthError('forbidden', 'only an admin can create accounts');
      if (r.role !== 'admin') throw new AuthError('forbidden', 'the first account must be an admin');
    } else if (by.role !== 'admin') {
      throw new AuthError('forbidden', 'only an admin can create accounts');
    }
    const problem = passwordProblem(r.password, login);
    if (problem) throw new AuthError('weak-password', problem);
    if (this.row(login)) throw new AuthError('exists', `an account "${login}" already exists`);
    const hash = await hashPassword(r.password);
    const t = new Date().toISOString();
    const creator = by ? by.login : login;
    const id = this.db.transaction(() => {
      if (this.row(login)) throw new AuthError('exists', `an account "${login}" already exists`);
      const res = this.db
        .prepare(
          'INSERT INTO readers (login, display_name, role, password_hash, created_at, created_by, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(login, displayName, r.role, hash, t, creator, t);
      const rid = Number(res.lastInsertRowid);
      this.audit.append({
        actor: by ? actorOf(by) : { name: login, role: 'admin' },
        action: 'account.create',
        entity: `reader:${rid}`,
        details: { login, displayName, role: r.role, firstAdmin: by === null },
      });
      return rid;
    })();
    this.audit.syncAnchor();
    const created = this.byId(id);
    if (!created) throw new Error(`account ${login} was not stored`);
    return created;
  }

  /** Checks a login's password (counts failures, locks); returns the account. Used to log in. */
  async authenticate(login: string, password: string): Promise<ReaderView> {
    const r = this.row(login);
    if (!r) {
      this.dummyHash ??= hashPassword('lung-burden dummy password');
      await verifyPassword(password, await this.dummyHash);
      this.audit.append({
        actor: { name: login.trim().slice(0, 64), role: 'unknown' },
        action: 'account.login-failed',
        entity: 'reader:unknown',
        details: { reason: 'unknown login' },
      });
      throw new AuthError('invalid-credentials', 'wrong login name or password');
    }
    const v = await this.check(r, password, 'login');
    this.audit.append({ actor: actorOf(v), action: 'account.login', entity: `reader:${v.id}` });
    return v;
  }

  /** Re-authenticates a signed-in reader (signing): the same password check and lock-out as a login. */
  async reauthenticate(readerId: number, password: string, purpose: string): Promise<ReaderView> {
    const r = this.db.prepare('SELECT * FROM readers WHERE id = ?').get(readerId) as ReaderRow | undefined;
    if (!r) throw new AuthError('not-signed-in', 'the signed-in account no longer exists');
    return this.check(r, password, purpose);
  }

  private async check(r: ReaderRow, password: string, purpose: string): Promise<ReaderView> {
    const actor = actorOf(view(r));
    if (r.active !== 1) {
      this.audit.append({
        actor,
        action: 'account.login-failed',
        entity: `reader:${r.id}`,
        details: { purpose, reason: 'account deactivated' },
      });
      throw new AuthError('inactive', `the account ${r.login} is deactivated`);
    }
    if (r.locked_until !== null && Date.parse(r.locked_until) > Date.now()) {
      this.audit.append({
        actor,
        action: 'account.login-failed',
        entity: `reader:${r.id}`,
        details: { purpose, reason: 'locked', lockedUntil: r.locked_until },
      });
      throw new AuthError(
        'locked',
        `the account ${r.login} is locked after ${MAX_FAILED_ATTEMPTS} failed password attempts until ${r.locked_until}`,
      );
    }
    if (await verifyPassword(password, r.password_hash)) {
      if (r.failed_attempts !== 0 || r.locked_until !== null)
        this.db.prepare('UPDATE readers SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(r.id);
      const v = this.byId(r.id);
      if (!v) throw new AuthError('not-signed-in', 'the account no longer exists');
      return v;
    }
    const locked = this.db.transaction(() => {
      const cur = this.db.prepare('SELECT failed_attempts FROM readers WHERE id = ?').get(r.id) as { failed_attempts: number };
      const failures = cur.failed_attempts + 1;
      this.audit.append({
        actor,
        action: 'account.login-failed',
        entity: `reader:${r.id}`,
        details: { purpose, reason: 'wrong password', failures },
      });
      if (failures >= MAX_FAILED_ATTEMPTS) {
        const until = new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString();
        this.db.prepare('UPDATE readers SET failed_attempts = 0, locked_until = ? WHERE id = ?').run(until, r.id);
        this.audit.append({ actor, action: 'account.locked', entity: `reader:${r.id}`, details: { failures, lockedUntil: until } });
        return until;
      }
      this.db.prepare('UPDATE readers SET failed_attempts = ? WHERE id = ?').run(failures, r.id);
      return null;
    })();
    this.audit.syncAnchor();
    if (locked) throw new AuthError('locked', `wrong password; the account ${r.login} is now locked until ${locked}`);
    throw new AuthError('invalid-credentials', purpose === 'login' ? 'wrong login name or password' : 'wrong password');
  }

  /** An admin lifts a lock-out. */
  unlock(login: string, by: ReaderView): ReaderView {
    if (by.role !== 'admin') throw new AuthError('forbidden', 'only an admin can unlock accounts');
    const r = this.row(login);
    if (!r) throw new AuthError('invalid-credentials', `no account "${login}"`);
    this.db.transaction(() => {
      this.db.prepare('UPDATE readers SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(r.id);
      this.audit.append({ actor: actorOf(by), action: 'account.unlock', entity: `reader:${r.id}`, details: { login: r.login } });
    })();
    this.audit.syncAnchor();
    return view({ ...r, failed_attempts: 0, locked_until: null });
  }

  /** The reader changes their own password (the old one checked like a login). */
  async changePassword(readerId: number, oldPassword: string, newPassword: string): Promise<void> {
    const v = await this.reauthenticate(readerId, oldPassword, 'password change');
    const problem = passwordProblem(newPassword, v.login);
    if (problem) throw new AuthError('weak-password', problem);
    const hash = await hashPassword(newPassword);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE readers SET password_hash = ?, password_changed_at = ? WHERE id = ?')
        .run(hash, new Date().toISOString(), readerId);
      this.audit.append({ actor: actorOf(v), action: 'account.password', entity: `reader:${readerId}` });
    })();
    this.audit.syncAnchor();
  }
}
