import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DicomWebClient } from '../../../electron/services/pacs/dicomweb-client.ts';
import { PacsError } from '../../../electron/services/pacs/pacs-error.ts';
import { retrieveSeries, stagingDirOf } from '../../../electron/services/pacs/retrieve-series.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { sharedDataDir, SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { filesUnder, orthancUnavailable, startOrthanc, type OrthancServer } from '../../support/orthanc-server.ts';

const data = sharedDataDir();
const SERIES_DIR = data ? join(data, 'dicom-import', 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le') : null;
const skip = orthancUnavailable() ?? (SERIES_DIR && existsSync(SERIES_DIR) ? false : SHARED_DATA_MISSING);

let orthanc: OrthancServer;
let root: string;
let studyUid = '';
let seriesUid = '';
let files: string[] = [];

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'lb-pacs-'));
  orthanc = await startOrthanc({ auth: true });
  files = filesUnder(SERIES_DIR as string);
  assert.equal(await orthanc.upload(files), files.length);
});
after(async () => {
  if (skip) return;
  await orthanc.stop();
  rmSync(root, { recursive: true, force: true });
});

const client = (o: Partial<ConstructorParameters<typeof DicomWebClient>[0]> = {}): DicomWebClient =>
  new DicomWebClient({
    url: orthanc.dicomWebRoot,
    auth: { kind: 'basic', user: orthanc.credentials?.user ?? '', password: orthanc.credentials?.password ?? '' },
    retries: 1,
    backoffMs: 10,
    ...o,
  });

test('QIDO-RS: studies by patient id and modality, then its series', { skip }, async () => {
  const c = client();
  try {
    const all = await c.searchStudies({});
    assert.equal(all.length, 1);
    const s = all[0];
    assert.ok(s);
    const byId = await c.searchStudies({ patientId: s.patientId, modality: 'CT' });
    assert.equal(byId.length, 1);
    assert.equal((await c.searchStudies({ patientId: 'NO-SUCH-PATIENT' })).length, 0);
    assert.equal((await c.searchStudies({ patientName: `${s.patientName.slice(0, 3)}*` })).length, 1);
    assert.equal((await c.searchStudies({ studyDateFrom: '19000101', studyDateTo: '19000102' })).length, 0);
    studyUid = s.studyInstanceUid;
    const series = await c.searchSeries(studyUid);
    assert.equal(series.length, 1);
    seriesUid = series[0]?.seriesInstanceUid ?? '';
    assert.equal(series[0]?.modality, 'CT');
    const found = await c.findSeries(seriesUid);
    assert.equal(found?.studyInstanceUid, studyUid);
    assert.equal((await c.searchInstances(studyUid, seriesUid)).length, files.length);
  } finally {
    c.close();
  }
});

test('401 on wrong password, 404 on an unknown study: clear errors, no retries', { skip }, async () => {
  const bad = new DicomWebClient({
    url: orthanc.dicomWebRoot,
    auth: { kind: 'basic', user: 'reader', password: 'wrong' },
    retries: 3,
    backoffMs: 10,
  });
  let retries = 0;
  const counted = new DicomWebClient({
    url: orthanc.dicomWebRoot,
    auth: { kind: 'none' },
    retries: 3,
    backoffMs: 10,
    onRetry: () => retries++,
  });
  try {
    await assert.rejects(
      bad.searchStudies({}),
      (e: unknown) => e instanceof PacsError && e.code === 'unauthorized' && /401/.test(e.message),
    );
    await assert.rejects(counted.searchStudies({}), (e: unknown) => e instanceof PacsError && e.code === 'unauthorized');
    assert.equal(retries, 0);
    const c = client();
    await assert.rejects(
      c.retrieveInstance('1.2.3.4.5.999', '1.2.3.4.5.998', '1.2.3.4.5.997'),
      (e: unknown) => e instanceof PacsError && e.code === 'not-found' && /404/.test(e.message),
    );
    c.close();
  } finally {
    bad.close();
    counted.close();
  }
});

test('WADO-RS retrieve into the store: cancelled half-way, nothing imported; resumed, imported once', { skip }, async () => {
  assert.ok(seriesUid, 'the QIDO test found the series');
  const dataDir = join(root, 'store');
  const store = CaseStore.open(dataDir);
  const c = client();
  try {
    const controller = new AbortController();
    await assert.rejects(
      retrieveSeries(
        c,
        store,
        { dataDir, studyInstanceUid: studyUid, seriesInstanceUid: seriesUid },
        {
          signal: controller.signal,
          onProgress: (done) => {
            if (done >= 40) controller.abort();
          },
        },
      ),
      (e: unknown) => e instanceof PacsError && e.code === 'cancelled',
    );
    assert.equal(store.listCases().length, 0, 'a cancelled retrieve adds no case');
    const staged = readdirSync(stagingDirOf(dataDir, c.displayUrl, seriesUid)).filter((f) => f.endsWith('.dcm'));
    assert.ok(staged.length >= 40 && staged.length < files.length, `kept ${staged.length} instances`);
    const progress: number[] = [];
    const r = await retrieveSeries(
      c,
      store,
      { dataDir, studyInstanceUid: studyUid, seriesInstanceUid: seriesUid },
      { onProgress: (d) => progress.push(d) },
    );
    assert.equal(r.resumed, staged.length);
    assert.equal(r.instances, files.length);
    assert.equal(r.caseIds.length, 1);
    const detail = store.getCase(r.caseIds[0] as NonNullable<(typeof r.caseIds)[0]>);
    assert.equal(detail.sliceCount, files.length);
    assert.match(detail.sourcePath, /^http:\/\/127\.0\.0\.1:\d+\/dicom-web\/studies\//);
    assert.equal(store.seriesMetadata(detail.id).sopInstanceUids.length, files.length);
    assert.equal(existsSync(stagingDirOf(dataDir, c.displayUrl, seriesUid)), false, 'staging removed after import');
    // again: the same voxels → the existing case
    const again = await retrieveSeries(c, store, { dataDir, studyInstanceUid: studyUid, seriesInstanceUid: seriesUid });
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.caseIds, r.caseIds);
  } finally {
    c.close();
    store.close();
  }
});
