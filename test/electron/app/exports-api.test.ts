import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { createExportsApi } from '../../../electron/app/api/exports-api.ts';
import type { WorkstationDialogs } from '../../../electron/app/workstation-dialogs.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { ExportError } from '../../../electron/services/exports/export-error.ts';
import type { ExportOutcome } from '../../../shared/contracts/exports.ts';
import { decodeDicomSeg } from '../../../shared/export/dicom-seg.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { syntheticChest } from '../../shared/export/synthetic-case.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

const TEST_ACTOR = { name: 'test.exporter', role: 'reader' } as const;

// One case: lung mask, model lesions, a reader's edit (unsigned) and its burden: what the UI exports.
let dir = '';
let store: CaseStore;
const chest = syntheticChest();
let caseId: ReturnType<CaseStore['addSeries']>['caseId'];
let readerVersion = 0;
const nK = chest.volume.size[2];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lb-exports-api-'));
  store = CaseStore.open(join(dir, 'store'));
  const meta = seriesMetadata({
    sopInstanceUids: Array.from({ length: nK }, (_, k) => `1.2.826.0.1.77.2.${k + 1}`),
    seriesInstanceUid: '1.2.826.0.1.77.2',
    studyInstanceUid: '1.2.826.0.1.77.1',
  });
  caseId = store.addSeries({ metadata: meta, volume: chest.volume, sourcePath: '/x', sourceKind: 'dicom', issues: [] }).caseId;
  const lung = store.saveLabelVersion(caseId, 'lung', chest.lung, { kind: 'algorithm', name: 'lung-burden classical lung mask v1' });
  const m = store.saveLabelVersion(caseId, 'lesion', chest.lesion, {
    kind: 'model',
    name: 'convlstm 1.2.0',
    modelName: 'convlstm',
    modelVersion: '1.2.0',
  });
  const edited = chest.lesion.map((v, x) => (v === 2 && x % 3 === 0 ? 0 : v));
  const r = store.saveLabelVersion(caseId, 'lesion', edited, { kind: 'reader', name: 'Dr Ada Reader' }, { parentId: m.id });
  readerVersion = r.version;
  store.recordBurden(caseId, r.id, lung.id, chest.stored);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const stagingEmpty = (): boolean =>
  !existsSync(join(dir, 'data', 'export-staging')) || readdirSync(join(dir, 'data', 'export-staging')).length === 0;

function download(o: ExportOutcome): Extract<ExportOutcome, { kind: 'download' }> {
  assert.equal(o.kind, 'download');
  return o;
}

test('browser mode: a DICOM SEG is one file to download, once; it says which (unsigned) version it holds', async () => {
  const api = createExportsApi({ store, dataDir: join(dir, 'data'), actor: () => TEST_ACTOR });
  const o = download(await api.run(caseId, { format: 'dicom-seg', deidentify: false }));
  assert.equal(o.fileName, `seg-case${caseId}-v${readerVersion}.dcm`);
  assert.equal(o.mediaType, 'application/dicom');
  assert.deepEqual([o.version?.version, o.version?.signed, o.version?.author], [readerVersion, false, 'Dr Ada Reader']);
  assert.match(o.summary, /NOT signed/);
  const bytes = await api.download(o.downloadId);
  assert.equal(bytes.length, o.bytes);
  const seg = decodeDicomSeg(bytes, {
    geometry: store.getCase(caseId).geometry,
    sopInstanceUids: store.seriesMetadata(caseId).sopInstanceUids,
  });
  assert.deepEqual(
    seg.segments.slice(0, 2).map((s) => s.algorithmType),
    ['AUTOMATIC', 'SEMIAUTOMATIC'],
    'GGO as the model made it, high opacity edited',
  );
  await assert.rejects(api.download(o.downloadId), (e: unknown) => e instanceof ExportError && /no longer available/.test(e.message));
  assert.ok(stagingEmpty(), 'staging folder removed after the download');
});

test('browser mode: several files come as one zip (NIfTI, de-identified); reports as PDF or CSV', async () => {
  const api = createExportsApi({ store, dataDir: join(dir, 'data'), actor: () => TEST_ACTOR });
  const o = download(await api.run(caseId, { format: 'nifti', deidentify: true }));
  assert.match(o.fileName, /^case\d+-nifti-unsigned-v\d+\.zip$/);
  const zip = unzipSync(await api.download(o.downloadId));
  const names = Object.keys(zip)
    .map((n) => n.split('/').slice(1).join('/'))
    .sort();
  assert.ok(names.includes('manifest.json') && names.includes('deidentification.json'), names.join());
  assert.equal(names.filter((n) => n.endsWith('.nii.gz')).length, 3);
  assert.ok(!Object.keys(zip).some((n) => n.includes('Doe')), 'pseudonymous names');

  const pdf = download(await api.run(caseId, { format: 'report-pdf', deidentify: false }));
  assert.equal(pdf.mediaType, 'application/pdf');
  assert.equal(
    Buffer.from(await api.download(pdf.downloadId))
      .subarray(0, 5)
      .toString('latin1'),
    '%PDF-',
  );
  assert.equal(pdf.version?.version, readerVersion);
  const csv = download(await api.run(caseId, { format: 'report-csv', deidentify: true }));
  const rows = parseCsv(Buffer.from(await api.download(csv.downloadId)).toString('utf8')).rows;
  assert.equal(rows.length, 1);
  assert.match(rows[0]!['patient_id']!, /^LB-/);
  assert.ok(stagingEmpty());
});

test('training formats need a signed version (as in the CLI): refused with the reason, nothing left behind', async () => {
  const api = createExportsApi({ store, dataDir: join(dir, 'data'), actor: () => TEST_ACTOR });
  await assert.rejects(api.run(caseId, { format: 'nnunet', deidentify: false }), ExportError);
  assert.ok(stagingEmpty());
});

test('Electron: the save dialog places a one-file export, the folder dialog a new subfolder; cancel writes nothing', async () => {
  const out = join(dir, 'chosen');
  const asked: string[] = [];
  let answer: string | null = null;
  const dialogs: WorkstationDialogs = {
    chooseImportFolder: async () => null,
    chooseExportFolder: async (title) => (asked.push(`folder: ${title}`), answer),
    chooseSaveFile: async (name, filter) => (
      asked.push(`save: ${name} (${filter.extension})`),
      answer === null ? null : join(answer, `my-${name}`)
    ),
  };
  const api = createExportsApi({ store, dataDir: join(dir, 'data'), actor: () => TEST_ACTOR, dialogs });
  assert.deepEqual(await api.run(caseId, { format: 'report-pdf', deidentify: false }), { kind: 'cancelled' });
  assert.ok(!existsSync(out) && stagingEmpty());
  answer = out;
  const pdf = await api.run(caseId, { format: 'report-pdf', deidentify: false });
  assert.equal(pdf.kind, 'written');
  assert.ok(
    readFileSync(join(out, `my-case${caseId}-report.pdf`))
      .subarray(0, 5)
      .toString('latin1') === '%PDF-',
  );
  const a = await api.run(caseId, { format: 'nifti', deidentify: false });
  const b = await api.run(caseId, { format: 'nifti', deidentify: false });
  assert.ok(a.kind === 'written' && b.kind === 'written');
  assert.equal(b.destination, `${a.destination}-2`, 'a second export never overwrites the first');
  assert.ok(readdirSync(a.destination).includes('manifest.json'));
  assert.deepEqual(
    asked.map((s) => s.replace(/\d+/g, 'N')),
    [
      'save: caseN-report.pdf (pdf)',
      'save: caseN-report.pdf (pdf)',
      'folder: Export caseN-nifti-unsigned-vN into…',
      'folder: Export caseN-nifti-unsigned-vN into…',
    ],
  );
  assert.ok(stagingEmpty());
});
