import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate, schemaVersion } from '../../../electron/services/cases/database.ts';
import { MIGRATIONS } from '../../../electron/services/cases/migrations.ts';

// One test per migration: applying migrations 1..v to an empty database gives schema v with the
// tables that version introduced, and re-running is a no-op.
for (const m of MIGRATIONS) {
  test(`migration ${m.version}: ${m.name}`, () => {
    const db = new Database(':memory:');
    const upTo = MIGRATIONS.filter((x) => x.version <= m.version);
    assert.deepEqual(
      migrate(db, upTo),
      upTo.map((x) => x.version),
    );
    assert.equal(schemaVersion(db), m.version);
    assert.deepEqual(migrate(db, upTo), []);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    for (const t of m.sql.matchAll(/CREATE TABLE (\w+)/g)) assert.ok(tables.includes(t[1]!), `table ${t[1]} exists`);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();
  });
}

test('a database from a newer app version is refused, not damaged', () => {
  const db = new Database(':memory:');
  db.pragma('user_version = 999');
  assert.throws(() => migrate(db), /newer than this app knows/);
  db.close();
});
