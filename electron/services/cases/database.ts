import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { assertSchemaComplete } from './schema-check.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the case database in WAL mode with foreign keys on and
 * `synchronous = FULL`, so that a save that returned is durable even if the process is killed
 * right after, and applies pending migrations.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = new Database(file);
  // The busy timeout first: several processes may open (and migrate) one store at the same time.
  db.pragma('busy_timeout = 5000');
  enableWal(db);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  try {
    migrate(db, migrations);
    assertSchemaComplete(db, migrations, file);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** How long a first open waits for the other processes that are switching a new store to WAL. */
const WAL_SWITCH_TIMEOUT_MS = 5000;

/**
 * Switches the database to WAL (persistent: a store already in WAL is left as it is). The switch
 * needs an exclusive lock, and SQLite answers SQLITE_BUSY at once, without the busy handler, when
 * several connections escalate their locks together (it would otherwise deadlock): six processes
 * opening a new store at the same moment hit that. So the switch is retried, with a short jittered
 * wait, until it succeeds or the timeout passes; any other error is thrown as is.
 */
export function enableWal(db: Pick<Db, 'pragma'>, timeoutMs = WAL_SWITCH_TIMEOUT_MS): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal') return;
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 + Math.floor(Math.random() * 40));
    }
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Current schema version (0 for an empty database). */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than `user_version`, each in its own transaction. Each
 * transaction is `BEGIN IMMEDIATE` (the write lock first) and reads `user_version` inside it, so
 * when several processes open a new store at once only one applies a migration and the others
 * see it applied (reading the version before locking let two create the same tables).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  const newest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  const checkKnown = (current: number): void => {
    if (current > newest) {
      throw new Error(`case database schema version ${current} is newer than this app knows (${newest}); update Lung Burden`);
    }
  };
  checkKnown(schemaVersion(db));
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = db
      .transaction(() => {
        const current = schemaVersion(db);
        checkKnown(current);
        if (m.version <= current) return false;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
