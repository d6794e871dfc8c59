/**
 * The WAL switch of a first open (database.ts `enableWal`): SQLite answers SQLITE_BUSY at once,
 * without the busy handler, when several connections escalate their locks together (six processes
 * opening a new store at the same moment hit it once under load in `npm test`). The switch retries
 * busy answers until the timeout, returns at once on a store already in WAL, and throws anything else.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { enableWal, openDatabase } from '../../../electron/services/cases/database.ts';
import { withTempDir } from '../../support/temp-dir.ts';

function sqliteError(code: string): Error {
  return Object.assign(new Error(code === 'SQLITE_BUSY' ? 'database is locked' : 'disk I/O error'), { code });
}

/** A stand-in connection whose `pragma` answers from a script of results. */
function scripted(answers: Array<string | Error>): { db: { pragma: (s: string) => unknown }; calls: string[] } {
  const calls: string[] = [];
  const db = {
    pragma: (s: string): unknown => {
      calls.push(s);
      const a = answers.shift() ?? 'wal';
      if (a instanceof Error) throw a;
      return a;
    },
  };
  return { db, calls };
}

test('busy answers are retried until the switch succeeds', () => {
  const { db, calls } = scripted([sqliteError('SQLITE_BUSY'), 'delete', sqliteError('SQLITE_BUSY'), 'delete', 'wal']);
  enableWal(db, 2000);
  assert.deepEqual(calls, ['journal_mode', 'journal_mode', 'journal_mode = WAL', 'journal_mode', 'journal_mode = WAL']);
});

test('a store another process already switched is left as it is', () => {
  const { db, calls } = scripted([sqliteError('SQLITE_BUSY'), 'wal']);
  enableWal(db, 2000);
  assert.deepEqual(calls, ['journal_mode', 'journal_mode']);
});

test('other errors are thrown at once; busy answers past the timeout are thrown', () => {
  const io = scripted([sqliteError('SQLITE_IOERR')]);
  assert.throws(() => enableWal(io.db, 2000), /disk I\/O error/);
  assert.equal(io.calls.length, 1);
  const always = {
    pragma: (): unknown => {
      throw sqliteError('SQLITE_BUSY');
    },
  };
  const t0 = Date.now();
  assert.throws(() => enableWal(always, 150), /database is locked/);
  assert.ok(Date.now() - t0 >= 150);
});

test('a real first open ends in WAL, and a second connection finds it so', () => {
  withTempDir('lb-wal-', (dir) => {
    const file = join(dir, 'cases.db');
    openDatabase(file).close();
    const db = new Database(file);
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      db.close();
    }
  });
});
