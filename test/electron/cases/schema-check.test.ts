/**
 * A store whose schema version claims a migration whose tables are not all there (written by a
 * pre-release build) is refused at open with a sentence, not "no such table" in mid-analysis.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../electron/services/cases/database.ts';
import { MIGRATIONS } from '../../../electron/services/cases/migrations.ts';
import { tablesCreatedBy } from '../../../electron/services/cases/schema-check.ts';
import { UserError } from '../../../shared/errors/user-error.ts';
import { withTempDir } from '../../support/temp-dir.ts';

test('every migration names the tables it creates; no table is created twice', () => {
  const all = MIGRATIONS.flatMap(tablesCreatedBy);
  assert.ok(all.includes('qc_runs') && all.includes('label_patches') && all.includes('patients'));
  assert.equal(new Set(all).size, all.length);
});

test('a store missing a table of an applied migration is refused at open, unchanged', () => {
  withTempDir('lb-schema-', (dir) => {
    const file = join(dir, 'cases.sqlite');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.exec('DROP TABLE qc_runs');
    raw.close();
    assert.throws(
      () => openDatabase(file),
      (e: unknown) =>
        e instanceof UserError &&
        e.code === 'schema-incomplete' &&
        /lacks qc_runs \(migration 2\)/.test(e.message) &&
        /Nothing was changed/.test(e.message),
    );
    const after = new Database(file);
    try {
      const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'qc_runs'").all();
      assert.equal(tables.length, 0, 'the refusal did not repair or alter the store');
    } finally {
      after.close();
    }
  });
});
