/**
 * Batch output safety (issue 18): report names are unique even when input keys slugify alike, and
 * an output folder is locked so two batch processes never analyse the same cases.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { assignReportNames } from '../../../electron/services/batch/assign-report-names.ts';
import { estimateCaseBytes } from '../../../electron/services/batch/estimate-case-bytes.ts';
import { runBatch } from '../../../electron/services/batch/run-batch.ts';
import { probeDecodedVoxels } from '../../../electron/services/batch/probe-decoded-size.ts';
import { makeCorpus } from '../../fixtures/bad-input/make-corpus.ts';
import { acquireBatchLock, BATCH_LOCK_FILE, BatchLockError } from '../../../electron/services/batch/batch-lock.ts';
import { JOURNAL_FILE, type BatchJournal } from '../../../electron/services/batch/batch-journal.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';

const CHILD = fileURLToPath(new URL('./batch-child.ts', import.meta.url));
let dir = '';
let root = '';
// Keys that slugified to the same report name before the fix: "p 1" / "p__1", and x.nii / x.nii.gz.
const INPUTS = ['p 1.nii.gz', 'p__1.nii.gz', 'x.nii', 'x.nii.gz'];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-batch-safety-'));
  root = join(dir, 'studies');
  mkdirSync(root, { recursive: true });
  INPUTS.forEach((rel, n) => {
    const gz = rel.endsWith('.gz');
    writeFileSync(join(root, rel), writeNifti(syntheticChest([44 + 2 * n, 40, 12], [6, 6, 12]).volume, { gzip: gz }));
  });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('report names are unique per input and stable across runs', () => {
  const keys = ['p 1', 'p__1', 'x.nii', 'x.nii.gz', 'x', 'X'];
  const a = assignReportNames(keys, {});
  assert.equal(new Set([...a.values()].map((v) => v.toLowerCase())).size, keys.length, JSON.stringify([...a]));
  assert.deepEqual([...assignReportNames([...keys].reverse(), {})].sort(), [...a].sort(), 'independent of listing order');
  const fromJournal = assignReportNames(keys, { p__1: 'reports/p__1.pdf' });
  assert.equal(fromJournal.get('p__1'), 'reports/p__1.pdf', 'a name given by an earlier run is kept');
  assert.notEqual(fromJournal.get('p 1'), 'reports/p__1.pdf');
});

test(
  'two batch processes on one output folder: one runs, the other is refused; no case is analysed twice',
  { timeout: 240_000 },
  async () => {
    const out = join(dir, 'out-parallel');
    const dataDir = join(dir, 'data-parallel');
    const startAt = Date.now() + 5000;
    const run = (): Promise<{ ok: boolean; processed?: number; error?: string; message?: string }> =>
      new Promise((resolve, reject) => {
        const c = spawn(process.execPath, ['--import', 'tsx', CHILD, root, out, dataDir, String(startAt)], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let o = '';
        let e = '';
        c.stdout.on('data', (d: Buffer) => (o += d.toString()));
        c.stderr.on('data', (d: Buffer) => (e += d.toString()));
        c.on('error', reject);
        c.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(o) as { ok: boolean }) : reject(new Error(`child exit ${code}: ${e.slice(0, 800)}`)),
        );
      });
    const results = await Promise.all([run(), run()]);
    const processed = results.reduce((n, r) => n + (r.processed ?? 0), 0);
    assert.equal(processed, INPUTS.length, `every case analysed exactly once: ${JSON.stringify(results)}`);
    const refused = results.filter((r) => !r.ok);
    console.log(`batch-lock ${JSON.stringify({ processes: results.length, refused: refused.length, processed })}`);
    for (const r of refused) {
      assert.equal(r.error, 'BatchLockError');
      assert.match(r.message ?? '', /another batch \(process \d+ .* is writing to/);
    }
    assert.ok(!existsSync(join(out, BATCH_LOCK_FILE)), 'the lock is released');
    // Report names: one per input, all present.
    const journal = JSON.parse(readFileSync(join(out, JOURNAL_FILE), 'utf8')) as BatchJournal;
    const reports = INPUTS.map((k) => journal.entries[k]?.report);
    assert.equal(new Set(reports).size, INPUTS.length, JSON.stringify(reports));
    for (const r of reports) assert.ok(r && existsSync(join(out, r)), `${r} exists`);
  },
);

test('a live holder refuses a batch; a lock left by a dead process is taken over', async () => {
  const out = join(dir, 'out-lock');
  mkdirSync(out, { recursive: true });
  const release = acquireBatchLock(out);
  try {
    await assert.rejects(
      runBatch({ root, outDir: out, jobs: 1, dataDir: join(dir, 'data-lock'), model: null }),
      (e: unknown) => e instanceof BatchLockError && /wait for it to finish, or use another --out/.test(e.message),
    );
  } finally {
    release();
  }
  assert.ok(!existsSync(join(out, BATCH_LOCK_FILE)));
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(
    join(out, BATCH_LOCK_FILE),
    `${JSON.stringify({ pid: Number(dead.stdout), host: (await import('node:os')).hostname(), startedAt: 'then' })}\n`,
  );
  const again = acquireBatchLock(out);
  assert.match(readFileSync(join(out, BATCH_LOCK_FILE), 'utf8'), new RegExp(`"pid":${process.pid}`));
  again();
});

test('the memory estimate comes from the decoded size in the headers, not the file size', () => {
  const nii = join(root, 'x.nii.gz');
  assert.equal(probeDecodedVoxels({ kind: 'nifti', path: nii }), 50 * 40 * 12);
  // An RLE folder of 8192² files: ≈ 2 MiB each on disk, 64 M voxels each once decoded.
  const corpus = makeCorpus(join(dir, 'corpus'));
  const bomb = corpus.find((c) => c.name === 'dicom-rle-8192-bomb');
  assert.ok(bomb);
  const voxels = probeDecodedVoxels({ kind: 'dicom', path: bomb.target });
  assert.equal(voxels, 8 * 8192 * 8192);
  const bytes = 8 * 2.1 * 1024 ** 2;
  const fromHeaders = estimateCaseBytes({ kind: 'dicom', path: bomb.target, bytes, decodedVoxels: voxels });
  const fromSize = estimateCaseBytes({ kind: 'dicom', path: bomb.target, bytes });
  assert.ok(fromHeaders > 20 * fromSize, `${fromHeaders} vs ${fromSize}`);
});
