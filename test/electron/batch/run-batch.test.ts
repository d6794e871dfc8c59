import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { boundedJobs, estimateCaseBytes } from '../../../electron/services/batch/estimate-case-bytes.ts';
import { runBatch, type BatchProgress } from '../../../electron/services/batch/run-batch.ts';
import { findBatchCases } from '../../../electron/services/batch/find-batch-cases.ts';
import { JOURNAL_FILE } from '../../../electron/services/batch/batch-journal.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { COHORT_COLUMNS } from '../../../shared/export/burden-csv.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';

// A tree of studies: three small synthetic chest CTs as NIfTI (different sizes → distinct cases),
// one "DICOM" leaf folder whose only file is not DICOM (broken), and a notes file that is ignored.
let dir = '';
let root = '';
const GOOD = ['site-a/p001.nii.gz', 'site-a/p002.nii.gz', 'site-c/p004.nii.gz'];
const BROKEN = 'site-b/study1/series-2';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-batch-'));
  root = join(dir, 'studies');
  const sizes: [number, number, number][] = [
    [48, 44, 16],
    [52, 44, 16],
    [48, 48, 14],
  ];
  GOOD.forEach((rel, n) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), writeNifti(syntheticChest(sizes[n], [6, 6, 12]).volume));
  });
  mkdirSync(join(root, BROKEN), { recursive: true });
  writeFileSync(join(root, BROKEN, 'IM0001'), Buffer.from('this is not a DICOM file'));
  writeFileSync(join(root, 'site-a', 'README.md'), '# notes\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('the walk finds NIfTI files and leaf DICOM folders, skipping notes', () => {
  const { inputs, ignored } = findBatchCases(root);
  assert.deepEqual(
    inputs.map((i) => [i.key, i.kind]),
    [
      ['site-a/p001.nii.gz', 'nifti'],
      ['site-a/p002.nii.gz', 'nifti'],
      [BROKEN, 'dicom'],
      ['site-c/p004.nii.gz', 'nifti'],
    ],
  );
  assert.deepEqual(ignored, []);
});

test('parallelism is bounded by free memory per case', () => {
  const mib = 1024 ** 2;
  assert.equal(boundedJobs(4, 1000 * mib, 300 * mib), 3);
  assert.equal(boundedJobs(4, 100 * mib, 300 * mib), 1);
  assert.equal(boundedJobs(2, 10_000 * mib, 300 * mib), 2);
  // 100 MB of DICOM ≈ 50 M voxels ≈ 1.2 GB working set; a .nii.gz counts 5× its bytes.
  assert.equal(estimateCaseBytes({ bytes: 100e6, kind: 'dicom', path: '/d' }), 1.2e9 + 64 * mib);
  assert.equal(estimateCaseBytes({ bytes: 20e6, kind: 'nifti', path: '/a.nii.gz' }), 1.2e9 + 64 * mib);
});

test('batch: interrupted after the first case, rerun resumes without redoing it; broken case reported; CSV complete', async () => {
  const out = join(dir, 'out');
  const dataDir = join(dir, 'store');
  const ctl = new AbortController();
  const events1: BatchProgress[] = [];
  const s1 = await runBatch({
    root,
    outDir: out,
    jobs: 1,
    dataDir,
    model: null,
    signal: ctl.signal,
    onProgress: (p) => {
      events1.push(p);
      if (p.event === 'case-done' || p.event === 'case-failed') ctl.abort();
    },
  });
  assert.equal(s1.interrupted, true);
  assert.equal(s1.processed, 1);
  assert.equal(s1.done, 1);
  assert.equal(s1.pending, 3);
  assert.ok(existsSync(join(out, JOURNAL_FILE)));
  const firstReport = join(out, 'reports', 'site-a__p001.pdf');
  assert.ok(existsSync(firstReport));
  const firstMtime = statSync(firstReport).mtimeMs;
  const journal1 = JSON.parse(readFileSync(join(out, JOURNAL_FILE), 'utf8')) as { entries: Record<string, { status: string }> };
  assert.deepEqual(Object.keys(journal1.entries), ['site-a/p001.nii.gz']);

  const started: string[] = [];
  const events2: BatchProgress[] = [];
  const s2 = await runBatch({
    root,
    outDir: out,
    jobs: 2,
    dataDir,
    model: null,
    freeMemoryBytes: 64 * 1024 ** 3,
    onProgress: (p) => {
      events2.push(p);
      if (p.event === 'case-start') started.push(p.key!);
    },
  });
  assert.equal(s2.interrupted, false);
  assert.equal(s2.resumed, 1);
  assert.deepEqual(started.sort(), ['site-a/p002.nii.gz', BROKEN, 'site-c/p004.nii.gz'].sort());
  assert.equal(statSync(firstReport).mtimeMs, firstMtime, 'the finished case was not redone');
  assert.equal(s2.done, 3);
  assert.equal(s2.failed, 1);
  assert.equal(s2.failures[0]!.key, BROKEN);
  assert.match(s2.failures[0]!.error, /ImportPathError|DICOM|importable/i);
  // Progress carries an ETA once a case of this run has finished.
  assert.ok(events2.some((e) => e.event === 'case-done' && e.etaMs !== null && e.etaMs >= 0));
  assert.equal(events2.at(-1)!.event, 'end');

  const csv = parseCsv(readFileSync(s2.cohortCsv, 'utf8'));
  assert.deepEqual(csv.columns, COHORT_COLUMNS);
  assert.deepEqual(
    csv.rows.map((r) => [r['source'], r['status']]),
    [
      ['site-a/p001.nii.gz', 'ok'],
      ['site-a/p002.nii.gz', 'ok'],
      [BROKEN, 'failed'],
      ['site-c/p004.nii.gz', 'ok'],
    ],
  );
  for (const r of csv.rows.filter((x) => x['status'] === 'ok')) {
    assert.ok(Number(r['lung_volume_ml']) > 0, `${r['source']}: lung volume`);
    assert.equal(r['burden_percent'], '0', 'no model: lesion burden 0');
    assert.ok(existsSync(join(out, 'reports', `${r['source']!.replace('.nii.gz', '').replace('/', '__')}.pdf`)));
  }
  assert.ok(csv.rows.find((r) => r['status'] === 'failed')!['error']!.length > 10);

  // A third run has nothing left to do (the broken case is not retried unless asked).
  const s3 = await runBatch({ root, outDir: out, jobs: 1, dataDir, model: null });
  assert.equal(s3.processed, 0);
  assert.equal(s3.resumed, 4);
  assert.equal(parseCsv(readFileSync(s3.cohortCsv, 'utf8')).rows.length, 4);
});

test('a journal from another root is refused with a clear error', async () => {
  const out = join(dir, 'out2');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, JOURNAL_FILE),
    JSON.stringify({ format: 'lung-burden-batch/1', root: '/elsewhere', createdAt: '', updatedAt: '', entries: {} }),
  );
  await assert.rejects(
    runBatch({ root, outDir: out, jobs: 1, dataDir: join(dir, 'store2'), model: null }),
    /belongs to a batch over \/elsewhere/,
  );
});
