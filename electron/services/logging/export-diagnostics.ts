import { writeFileSafely } from '../exports/safe-write.ts';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { Db } from '../cases/database.ts';
import type { Redactor } from './redact.ts';
import type { RotatingLogFile } from './rotating-log-file.ts';

/** What {@link exportDiagnostics} collects from. */
export interface DiagnosticsSources {
  /** The case database (read for integrity, counts and settings; never copied). */
  readonly db: Db;
  /** The app's log files. */
  readonly log: RotatingLogFile;
  /** The installation's redactor (the salt itself is never exported). */
  readonly redact: Redactor;
  /** `package.json` of the app (name, version, dependency versions). */
  readonly packageJsonPath?: string;
}

export interface DiagnosticsResult {
  /** The zip file or folder written. */
  readonly path: string;
  /** Names of the entries written (relative). */
  readonly entries: readonly string[];
  /** `PRAGMA integrity_check` of the case database (`ok` when healthy). */
  readonly integrity: string;
}

/** Settings whose values are shown as they are (everything else is hashed). */
const PLAIN_SETTINGS = /^(models\.active|ui\.|viewer\.|inference\.|autosave\.)/;

/**
 * Writes a support bundle to `outZipOrDir` (a `.zip` file, or a folder otherwise): the log files
 * (already redacted when written, scrubbed once more), `versions.json` (app, Electron, Node, V8,
 * SQLite, schema, OS, dependency versions), `settings.json` (keys, values hashed unless known to
 * be harmless), `database.json` (`PRAGMA integrity_check`, row counts, page/WAL sizes) and
 * `manifest.json`. Never included: the database, voxels, label maps, the redaction salt.
 */
export function exportDiagnostics(outZipOrDir: string, src: DiagnosticsSources): DiagnosticsResult {
  const entries: Record<string, Uint8Array> = {};
  const json = (v: unknown): Uint8Array => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);

  for (const f of src.log.files()) {
    const lines = readFileSync(f, 'utf8')
      .split('\n')
      .map((l) => src.redact.text(l));
    entries[`logs/${basename(f)}`] = Buffer.from(lines.join('\n'));
  }

  const integrityRows = src.db.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = integrityRows.map((r) => r.integrity_check).join('; ');
  const count = (table: string): number | null => {
    try {
      return (src.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    } catch {
      return null;
    }
  };
  const dbFile = src.db.name;
  const wal = `${dbFile}-wal`;
  entries['database.json'] = json({
    integrityCheck: integrity,
    schemaVersion: src.db.pragma('user_version', { simple: true }),
    journalMode: src.db.pragma('journal_mode', { simple: true }),
    pageCount: src.db.pragma('page_count', { simple: true }),
    pageSize: src.db.pragma('page_size', { simple: true }),
    walBytes: existsSync(wal) ? statSync(wal).size : 0,
    rows: Object.fromEntries(
      ['patients', 'studies', 'series', 'cases', 'label_versions', 'signoffs', 'burden_records'].map((t) => [t, count(t)]),
    ),
  });

  const settings = src.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[];
  entries['settings.json'] = json(
    Object.fromEntries(settings.map((s) => [s.key, PLAIN_SETTINGS.test(s.key) ? src.redact.text(s.value) : src.redact.hash(s.value)])),
  );

  let pkg: { name?: string; version?: string; dependencies?: Record<string, string> } = {};
  if (src.packageJsonPath && existsSync(src.packageJsonPath)) {
    pkg = JSON.parse(readFileSync(src.packageJsonPath, 'utf8')) as typeof pkg;
  }
  const sqlite = (src.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  entries['versions.json'] = json({
    app: { name: pkg.name ?? null, version: pkg.version ?? null },
    dependencies: pkg.dependencies ?? {},
    node: process.versions.node,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent outside Electron although typed as a string
    electron: process.versions['electron'] ?? null,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent outside Electron although typed as a string
    chrome: process.versions['chrome'] ?? null,
    v8: process.versions.v8,
    sqlite,
    os: {
      platform: platform(),
      release: release(),
      arch: arch(),
      cpus: cpus().length,
      totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    },
  });
  entries['manifest.json'] = json({
    createdAt: new Date().toISOString(),
    entries: Object.keys(entries).concat('manifest.json'),
    excluded: ['case database', 'voxel cache', 'label maps', 'redaction salt', 'model files'],
    redaction: 'patient/reader identifiers, UIDs and paths are salted HMAC-SHA256 tokens ⟨h:…⟩; the salt stays on this computer',
  });

  if (/\.zip$/i.test(outZipOrDir)) {
    mkdirSync(dirname(outZipOrDir), { recursive: true });
    writeFileSafely(outZipOrDir, zipSync(entries, { level: 6 }));
  } else {
    for (const [name, bytes] of Object.entries(entries)) {
      writeFileSafely(join(outZipOrDir, name), bytes, outZipOrDir);
    }
  }
  return { path: outZipOrDir, entries: Object.keys(entries), integrity };
}
