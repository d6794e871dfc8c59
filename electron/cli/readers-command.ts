import { READER_ROLES, type ReaderRole, type ReaderView } from '../../shared/domain/reader.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { ReaderAccounts } from '../services/readers/reader-accounts.ts';

export interface ReadersCommandOptions {
  readonly action: string;
  readonly dataDir: string;
  /** `add`: login name, display name (default the login) and role. */
  readonly login?: string;
  readonly displayName?: string;
  readonly role?: string;
  /** `add` after the first account: the admin who creates it (password from LUNG_BURDEN_ADMIN_PASSWORD). */
  readonly as?: string;
  readonly json: boolean;
  /** The new account's password (LUNG_BURDEN_PASSWORD, else the first line of stdin). */
  readonly readPassword: () => Promise<string>;
  readonly out: (text: string) => void;
  readonly log: (msg: string) => void;
}

export class ReadersCommandError extends Error {
  override name = 'ReadersCommandError';
}

/**
 * `lung-burden readers add --name <login> --role reader|adjudicator|admin [--display-name "Dr X"] [--as <admin>]`
 * and `lung-burden readers list [--json]`. The first account of a store must be an admin and needs
 * no `--as`; later ones are created by an admin, whose password is checked (and counts towards
 * the lock-out). Passwords are never taken from the command line (they would be in the shell
 * history and the process list).
 */
export async function runReadersCommand(o: ReadersCommandOptions): Promise<number> {
  const store = CaseStore.open(o.dataDir);
  try {
    const accounts = new ReaderAccounts(store.db, store.audit);
    if (o.action === 'list') {
      const all = accounts.list();
      if (o.json) o.out(`${JSON.stringify(all, null, 2)}\n`);
      else
        for (const r of all)
          o.out(
            `${r.login}\t${r.role}\t${r.displayName}\t${r.active ? 'active' : 'deactivated'}${r.lockedUntil ? `\tlocked until ${r.lockedUntil}` : ''}\n`,
          );
      return 0;
    }
    if (o.action !== 'add') throw new ReadersCommandError(`unknown readers action "${o.action}" (use add or list)`);
    const login = o.login?.trim();
    const role = o.role as ReaderRole | undefined;
    if (!login || !role || !READER_ROLES.includes(role))
      throw new ReadersCommandError(`readers add needs --name <login> --role ${READER_ROLES.join('|')}`);
    let admin: ReaderView | null = null;
    if (accounts.count() > 0) {
      if (!o.as) throw new ReadersCommandError('accounts exist: add --as <admin login> (its password in LUNG_BURDEN_ADMIN_PASSWORD)');
      const pw = process.env['LUNG_BURDEN_ADMIN_PASSWORD'];
      if (!pw) throw new ReadersCommandError('set LUNG_BURDEN_ADMIN_PASSWORD to the password of the admin given with --as');
      admin = await accounts.authenticate(o.as, pw);
    }
    const password = await o.readPassword();
    const r = await accounts.create({ login, displayName: o.displayName?.trim() || login, role, password }, admin);
    o.log(`account ${r.login} (${r.role}, "${r.displayName}") created${admin ? ` by ${admin.login}` : ' as the first admin'}`);
    if (o.json) o.out(`${JSON.stringify(r, null, 2)}\n`);
    return 0;
  } finally {
    store.close();
  }
}

/** The password from LUNG_BURDEN_PASSWORD, else the first line of stdin. */
export async function passwordFromEnvOrStdin(): Promise<string> {
  const env = process.env['LUNG_BURDEN_PASSWORD'];
  if (env !== undefined && env !== '') return env;
  if (process.stdin.isTTY) process.stderr.write('password (then Enter): ');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    if (Buffer.concat(chunks).includes(10)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (!line) throw new ReadersCommandError('no password given (LUNG_BURDEN_PASSWORD or one line on stdin)');
  return line;
}
