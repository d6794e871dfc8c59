import { z } from 'zod';
import { READER_ROLES, type ReaderView } from '../domain/reader.ts';
import { method } from './contract.ts';

/** A login name: 2–64 letters, digits or `. _ @ -` (case-insensitive, unique). */
export const LoginSchema = z.string().trim().min(1).max(64);
/** A password as typed (never trimmed or logged); the strength rule is checked by the main process. */
export const PasswordSchema = z.string().min(1).max(1024);
export const DisplayNameSchema = z.string().trim().min(1).max(200);
export const ReaderRoleSchema = z.enum(READER_ROLES);

/** Who is signed in, and whether the store still needs its first admin (first run). */
export interface SessionState {
  readonly needsFirstAdmin: boolean;
  readonly current: ReaderView | null;
  /** The password rule, said to the user as is. */
  readonly passwordRule: string;
}

/**
 * Reader accounts and the workstation session. Saving, running the AI and signing are done as the
 * signed-in reader; passwords travel only in these calls and `cases.signOff`, never back.
 */
export const readersContract = {
  readers: {
    session: method(z.tuple([])).returns<SessionState>(),
    /** First run only (no account yet): creates the admin account and signs it in. */
    createFirstAdmin: method(z.tuple([LoginSchema, DisplayNameSchema, PasswordSchema])).returns<ReaderView>(),
    login: method(z.tuple([LoginSchema, PasswordSchema])).returns<ReaderView>(),
    logout: method(z.tuple([])).returns<null>(),
    /** Admin: every account (no hashes). */
    list: method(z.tuple([])).returns<ReaderView[]>(),
    /** Admin: a new account. */
    create: method(z.tuple([LoginSchema, DisplayNameSchema, ReaderRoleSchema, PasswordSchema])).returns<ReaderView>(),
    /** Admin: lifts a lock-out. */
    unlock: method(z.tuple([LoginSchema])).returns<ReaderView>(),
    /** The signed-in reader changes their password (old one checked, counts towards lock-out). */
    changePassword: method(z.tuple([PasswordSchema, PasswordSchema])).returns<null>(),
  },
} as const;
