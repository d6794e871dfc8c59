/**
 * Export safety (issue 18): a non-empty --out is refused without --force; no write ever follows a
 * symbolic link (a planted link to a file outside, or a linked sub-folder); files are written to a
 * temporary name and renamed (no partial file under the real name, no temp files left).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputFolder, UnsafeOutputError, writeFileSafely } from '../../../electron/services/exports/safe-write.ts';
import { ExportWriter } from '../../../electron/services/exports/export-files.ts';
import { writeFileAtomic } from '../../../electron/services/reports/report-service.ts';
import { runExportCommand } from '../../../electron/cli/export-command.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-export-safety-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a symbolic link planted as the target file is never written through', () => {
  const out = join(dir, 'out-link-file');
  mkdirSync(out);
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(out, 'manifest.json'));
  assert.throws(
    () => new ExportWriter(out).write('manifest.json', '{}'),
    (e: unknown) => e instanceof UnsafeOutputError && /symbolic link/.test(e.message),
  );
  assert.throws(() => writeFileAtomic(join(out, 'manifest.json'), '{}'), UnsafeOutputError);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.ok(lstatSync(join(out, 'manifest.json')).isSymbolicLink());
  assert.deepEqual(readdirSync(out), ['manifest.json'], 'no temporary file left');
});

test('a linked sub-folder is not written into', () => {
  const out = join(dir, 'out-link-dir');
  mkdirSync(out);
  const elsewhere = join(dir, 'elsewhere');
  mkdirSync(elsewhere);
  symlinkSync(elsewhere, join(out, 'imagesTr'));
  assert.throws(() => new ExportWriter(out).write('imagesTr/case_0000.nii.gz', 'x'), /imagesTr is a symbolic link/);
  assert.deepEqual(readdirSync(elsewhere), []);
});

test('writes are atomic: a new file under the real name only once complete; a dangling temp name cannot be hijacked', () => {
  const out = join(dir, 'out-atomic');
  const w = new ExportWriter(out);
  const f = w.write('a/b/file.bin', new Uint8Array(1 << 20).fill(7));
  assert.equal(f.bytes, 1 << 20);
  assert.equal(readFileSync(join(out, 'a', 'b', 'file.bin')).length, 1 << 20);
  writeFileSafely(join(out, 'a', 'b', 'file.bin'), 'replaced', out);
  assert.equal(readFileSync(join(out, 'a', 'b', 'file.bin'), 'utf8'), 'replaced');
  assert.deepEqual(readdirSync(join(out, 'a', 'b')), ['file.bin']);
});

test('export --out: a non-empty folder is refused without --force; with --force files are replaced, links still refused', async () => {
  const dataDir = join(dir, 'store');
  const store = CaseStore.open(dataDir);
  const volume = syntheticVolume([16, 12, 8], 3);
  const { caseId } = store.addSeries({ metadata: seriesMetadata(), volume, sourcePath: '/x', sourceKind: 'nifti', issues: [] });
  store.saveLabelVersion(caseId, 'lesion', new Uint8Array(16 * 12 * 8).fill(1), { kind: 'reader', name: 'r' });
  store.close();
  const out = join(dir, 'cli-out');
  mkdirSync(out);
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const log = (): void => undefined;
  await assert.rejects(
    runExportCommand({ target: String(caseId), format: 'nifti', out, dataDir, log }),
    (e: unknown) => e instanceof UnsafeOutputError && /not empty: .*--force/.test(e.message),
  );
  assert.deepEqual(readdirSync(out), ['notes.txt']);
  assert.equal(await runExportCommand({ target: String(caseId), format: 'nifti', out, dataDir, log, force: true }), 0);
  assert.ok(existsSync(join(out, `case${caseId}_image.nii.gz`)));
  assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
  // A link planted where the next export writes: refused even with --force, the target untouched.
  const victim = join(dir, 'victim2.txt');
  writeFileSync(victim, 'precious');
  rmSync(join(out, 'manifest.json'), { force: true });
  symlinkSync(victim, join(out, 'manifest.json'));
  await assert.rejects(runExportCommand({ target: String(caseId), format: 'nifti', out, dataDir, log, force: true }), UnsafeOutputError);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.doesNotThrow(() => checkOutputFolder(join(dir, 'does-not-exist'), false));
});
