import { UserError } from '../../../shared/errors/user-error.ts';
import type { Db } from './database.ts';
import type { Migration } from './migrations.ts';

/** The tables a migration creates (`CREATE TABLE [IF NOT EXISTS] name`); no migration drops or renames one. */
export function tablesCreatedBy(migration: Migration): string[] {
  return [...migration.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`]?(\w+)/gi)].map((m) => m[1]!);
}

/**
 * Refuses a store whose schema version says a migration ran but whose tables are not all there:
 * a store written by a pre-release build whose migration differed from the released one (this
 * machine's own store from before `qc_runs` joined migration 2 read "no such table: qc_runs" in
 * the middle of an analysis). Nothing is changed; the sentence says what is missing and what to do.
 */
export function assertSchemaComplete(db: Db, migrations: readonly Migration[], file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name),
  );
  const missing = migrations
    .filter((m) => m.version <= version)
    .flatMap((m) => tablesCreatedBy(m).map((t) => ({ table: t, version: m.version })))
    .filter((x) => !present.has(x.table));
  if (missing.length === 0) return;
  const list = missing.map((x) => `${x.table} (migration ${x.version})`).join(', ');
  throw new UserError(
    'schema-incomplete',
    'refused',
    `The case database ${file} says schema version ${version} but lacks ${list}: it was written by a pre-release build. ` +
      'Nothing was changed. Move the data folder aside (or open it with the build that wrote it and export its cases) and start again.',
  );
}
