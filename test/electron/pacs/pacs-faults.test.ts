import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DicomWebClient } from '../../../electron/services/pacs/dicomweb-client.ts';
import { PacsError } from '../../../electron/services/pacs/pacs-error.ts';
import { retrieveSeries, stagingDirOf } from '../../../electron/services/pacs/retrieve-series.ts';
import { pushCaseResults } from '../../../electron/services/pacs/push-results.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { sharedDataDir, SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { filesUnder, freePort, orthancUnavailable, startOrthanc, type OrthancServer } from '../../support/orthanc-server.ts';
import { startFaultProxy, type FaultProxy } from '../../support/fault-proxy.ts';
import { makeResultCase } from '../../support/result-case.ts';

// Error paths of the DICOMweb client and the retrieve/push services: a real Orthanc behind a small
// fault injector (HTTP 500/503, dropped connections, truncated bodies and multipart, slow answers).
const data = sharedDataDir();
const SERIES_DIR = data ? join(data, 'dicom-import', 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le') : null;
const skip = orthancUnavailable() ?? (SERIES_DIR && existsSync(SERIES_DIR) ? false : SHARED_DATA_MISSING);

let orthanc: OrthancServer;
let proxy: FaultProxy;
let root: string;
let study = '';
let series = '';
let nInstances = 0;
const INSTANCE = /\/instances\/[0-9.]+$/;

before(async () => {
  if (skip) return;
  root = mkdtempSync(join(tmpdir(), 'lb-pacs-faults-'));
  orthanc = await startOrthanc();
  const files = filesUnder(SERIES_DIR as string);
  nInstances = await orthanc.upload(files);
  proxy = await startFaultProxy(orthanc.url);
  const c = new DicomWebClient({ url: orthanc.dicomWebRoot });
  const s = (await c.searchStudies({}))[0];
  study = s?.studyInstanceUid ?? '';
  series = (await c.searchSeries(study))[0]?.seriesInstanceUid ?? '';
  c.close();
});
after(async () => {
  if (skip) return;
  await proxy.close();
  await orthanc.stop();
  rmSync(root, { recursive: true, force: true });
});

const viaProxy = (o: Partial<ConstructorParameters<typeof DicomWebClient>[0]> = {}): DicomWebClient =>
  new DicomWebClient({ url: `${proxy.url}/dicom-web`, retries: 2, backoffMs: 5, ...o });

test('HTTP 500 twice, then fine: retried with back-off and answered', { skip }, async () => {
  let retries = 0;
  const c = viaProxy({ onRetry: () => retries++ });
  proxy.set({ kind: 'status', status: 500, match: /\/studies\?/, times: 2 });
  try {
    assert.equal((await c.searchStudies({})).length, 1);
    assert.equal(retries, 2);
  } finally {
    proxy.set(null);
    c.close();
  }
});

test('HTTP 503 for ever: a clear server-error after the retries', { skip }, async () => {
  const c = viaProxy();
  proxy.set({ kind: 'status', status: 503 });
  try {
    await assert.rejects(
      c.searchStudies({}),
      (e: unknown) => e instanceof PacsError && e.code === 'server-error' && /HTTP 503/.test(e.message),
    );
    assert.equal(proxy.hits(), 3, 'first try + 2 retries');
  } finally {
    proxy.set(null);
    c.close();
  }
});

test('403 is not retried and says so', { skip }, async () => {
  const c = viaProxy();
  proxy.set({ kind: 'status', status: 403 });
  try {
    await assert.rejects(c.searchStudies({}), (e: unknown) => e instanceof PacsError && e.code === 'forbidden' && /403/.test(e.message));
    assert.equal(proxy.hits(), 1);
  } finally {
    proxy.set(null);
    c.close();
  }
});

test('truncated body and truncated multipart are detected (never a short instance)', { skip }, async () => {
  const uid = (await new DicomWebClient({ url: orthanc.dicomWebRoot }).searchInstances(study, series))[0] as string;
  const c = viaProxy({ retries: 0 });
  try {
    proxy.set({ kind: 'truncate', match: INSTANCE });
    await assert.rejects(c.retrieveInstance(study, series, uid), (e: unknown) => e instanceof PacsError && e.code === 'interrupted');
    proxy.set({ kind: 'truncate-multipart', match: INSTANCE });
    await assert.rejects(
      c.retrieveInstance(study, series, uid),
      (e: unknown) => e instanceof PacsError && e.code === 'interrupted' && /closing delimiter|cut off/.test(e.message),
    );
    proxy.set(null);
    const whole = await c.retrieveInstance(study, series, uid);
    assert.ok(whole.length > 1000);
  } finally {
    proxy.set(null);
    c.close();
  }
});

test('a slow PACS times out; an absent one is unreachable', { skip }, async () => {
  const c = viaProxy({ timeoutMs: 300, retries: 0 });
  const gone = new DicomWebClient({ url: `http://127.0.0.1:${await freePort()}/dicom-web`, retries: 1, backoffMs: 5 });
  try {
    proxy.set({ kind: 'slow', delayMs: 1500 });
    await assert.rejects(c.searchStudies({}), (e: unknown) => e instanceof PacsError && e.code === 'timeout');
    await assert.rejects(
      gone.searchStudies({}),
      (e: unknown) => e instanceof PacsError && e.code === 'unreachable' && /ECONNREFUSED/.test(e.message),
    );
  } finally {
    proxy.set(null);
    c.close();
    gone.close();
  }
});

test('the PACS goes away mid-retrieve: no case, instances kept; the next retrieve resumes and imports once', { skip }, async () => {
  const dataDir = join(root, 'store-resume');
  const store = CaseStore.open(dataDir);
  const c = viaProxy({ retries: 1 });
  try {
    // after 30 good instances every instance request is dropped
    let served = 0;
    proxy.set({ kind: 'drop', match: INSTANCE, times: 0 });
    const failing = retrieveSeries(
      c,
      store,
      { dataDir, studyInstanceUid: study, seriesInstanceUid: series },
      {
        concurrency: 1,
        onProgress: (done) => {
          served = done;
          if (done === 30) proxy.set({ kind: 'drop', match: INSTANCE });
        },
      },
    );
    await assert.rejects(
      failing,
      (e: unknown) =>
        e instanceof PacsError && (e.code === 'unreachable' || e.code === 'interrupted') && /nothing was imported/.test(e.message),
    );
    assert.equal(served, 30);
    assert.equal(store.listCases().length, 0, 'nothing half-imported');
    const dir = stagingDirOf(dataDir, c.displayUrl, series);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.dcm')).length, 30);
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.part')).length, 0);
    proxy.set(null);
    const before = proxy.requests.filter((r) => INSTANCE.test(r)).length;
    const r = await retrieveSeries(c, store, { dataDir, studyInstanceUid: study, seriesInstanceUid: series });
    assert.equal(r.resumed, 30);
    assert.equal(
      proxy.requests.filter((x) => INSTANCE.test(x)).length - before,
      nInstances - 30,
      'only the missing instances were fetched',
    );
    assert.equal(store.listCases().length, 1);
    assert.equal(store.getCase(r.caseIds[0] as NonNullable<(typeof r.caseIds)[0]>).sliceCount, nInstances);
  } finally {
    proxy.set(null);
    c.close();
    store.close();
  }
});

test('STOW-RS push through a 503 once: retried; an always-failing PACS is a clear error', { skip }, async () => {
  const store = CaseStore.open(join(root, 'store-push'));
  const c = viaProxy({ retries: 2 });
  try {
    const { caseId } = makeResultCase(store, { sign: true, seed: 11 });
    proxy.set({ kind: 'status', status: 503, match: /\/studies\/[0-9.]+$/, times: 1 });
    const r = await pushCaseResults(c, store, caseId, { preliminary: false });
    assert.deepEqual(
      r.stored.map((s) => s.kind),
      ['seg', 'sr', 'pdf'],
    );
    proxy.set({ kind: 'drop', match: /\/studies\/[0-9.]+$/ });
    await assert.rejects(
      pushCaseResults(c, store, caseId, { preliminary: false }),
      (e: unknown) => e instanceof PacsError && e.code === 'unreachable',
    );
  } finally {
    proxy.set(null);
    c.close();
    store.close();
  }
});
