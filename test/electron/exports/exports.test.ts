import { test, after } from 'node:test';
import { READ_SIGNATURE_MEANING } from '../../../shared/domain/reader.ts';
import { signAs } from '../../support/test-readers.ts';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { exportTrainingSet, type TrainingManifest } from '../../../electron/services/exports/training-export.ts';
import { exportDicomSeg } from '../../../electron/services/exports/dicom-seg-export.ts';
import { deidentifierFor } from '../../../electron/services/exports/deid-salt.ts';
import { readerAgreement } from '../../../electron/services/exports/agreement-service.ts';
import { ExportError } from '../../../electron/services/exports/export-error.ts';
import { runExportCommand } from '../../../electron/cli/export-command.ts';
import { rasAffineFromGeometry } from '../../../shared/nifti/nifti-affine.ts';
import { decodeDicomSeg } from '../../../shared/export/dicom-seg.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';

const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const root = mkdtempSync(join(tmpdir(), 'lb-exports-'));
after(() => rmSync(root, { recursive: true, force: true }));

const PHI = ['Doe^Jane', 'Roe^Rick', 'MRN-55110', 'MRN-55111', '19591231', 'ACC-7781', '1.2.826.0.1.4242'];

function setup() {
  const store = CaseStore.open(join(root, `data-${Math.random().toString(36).slice(2)}`));
  const mk = (seed: number, patientId: string, patientName: string) => {
    const volume: Volume = syntheticVolume([16, 12, 8], seed);
    const meta = seriesMetadata({
      patientId,
      patientName,
      patientBirthDate: '19591231',
      accessionNumber: 'ACC-7781',
      studyInstanceUid: `1.2.826.0.1.4242.${seed}.1`,
      seriesInstanceUid: `1.2.826.0.1.4242.${seed}.2`,
      frameOfReferenceUid: `1.2.826.0.1.4242.${seed}.3`,
      sopInstanceUids: Array.from({ length: 8 }, (_, k) => `1.2.826.0.1.4242.${seed}.2.${k + 1}`),
    });
    return store.addSeries({ metadata: meta, volume, sourcePath: '/nowhere', sourceKind: 'dicom', issues: [] }).caseId;
  };
  const n = 16 * 12 * 8;
  const lesion = (k: number) => Uint8Array.from({ length: n }, (_, x) => (x % k === 0 ? 1 : x % (k + 3) === 0 ? 2 : 0));
  const lung = Uint8Array.from({ length: n }, (_, x) => (x % 16 < 8 ? 1 : 2));
  const c1 = mk(1, 'MRN-55110', 'Doe^Jane');
  const c2 = mk(2, 'MRN-55111', 'Roe^Rick');
  for (const c of [c1, c2]) store.saveLabelVersion(c, 'lung', lung, { kind: 'algorithm', name: 'lung-burden classical lung mask v1' });
  const m1 = store.saveLabelVersion(c1, 'lesion', lesion(5), {
    kind: 'model',
    name: 'convlstm 1.0.0',
    modelName: 'convlstm',
    modelVersion: '1.0.0',
  });
  const r1 = store.saveLabelVersion(c1, 'lesion', lesion(6), { kind: 'reader', name: 'Ann Readerson' }, { parentId: m1.id });
  store.saveLabelVersion(c1, 'lesion', lesion(7), { kind: 'reader', name: 'Bob Second' }, { parentId: m1.id });
  signAs(store, c1, r1.id, 'Ann Readerson');
  store.saveLabelVersion(c2, 'lesion', lesion(4), { kind: 'model', name: 'convlstm 1.0.0', modelName: 'convlstm', modelVersion: '1.0.0' });
  return { store, c1, c2, signed: r1, lesion, lung };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/** Scans every file (and the inflated content of .gz files) for the original PHI strings. */
function assertNoPhi(dir: string): void {
  for (const f of walk(dir)) {
    const raw = readFileSync(f);
    const views = f.endsWith('.gz') ? [raw, gunzipSync(raw)] : [raw];
    for (const v of views) for (const s of PHI) assert.equal(v.indexOf(Buffer.from(s)), -1, `${relative(dir, f)} contains ${s}`);
    for (const s of PHI) assert.equal(relative(dir, f).includes(s), false);
  }
}

function assertManifestHashes(dir: string, m: TrainingManifest | { files: readonly { path: string; sha256: string }[] }): void {
  for (const f of m.files)
    assert.equal(
      createHash('sha256')
        .update(readFileSync(join(dir, f.path)))
        .digest('hex'),
      f.sha256,
      f.path,
    );
}

test('nnU-Net export: signed cases only, dataset.json, manifest hashes, no PHI, nibabel reads the same voxels', () => {
  const { store, c1, c2, signed } = setup();
  const out = join(root, 'nnunet');
  const m = exportTrainingSet(store, { caseIds: [c1, c2], format: 'nnunet', outDir: out, deidentifier: deidentifierFor(store) });
  assert.equal(m.cases.length, 1);
  assert.deepEqual(m.skipped, [{ sourceCaseId: c2, reason: 'no signed lesion version' }]);
  const c = m.cases[0]!;
  assert.equal(c.lesionVersion.reader, 'Ann Readerson');
  assert.equal(c.lesionVersion.version, signed.version);
  assert.deepEqual(c.model, { name: 'convlstm', version: '1.0.0', labelVersion: 1 });
  // the signature of the result travels with it: who, role, when, meaning, bound hashes
  assert.equal(c.signature?.readerName, 'Ann Readerson');
  assert.equal(c.signature.role, 'reader');
  assert.equal(c.signature.meaning, READ_SIGNATURE_MEANING);
  assert.equal(c.signature.lesionSha256, signed.sha256);
  assert.equal(c.signature.lungSha256, c.lungVersion?.sha256);
  assert.ok(
    store.audit.entries({ caseId: c1 }).some((e) => e.action === 'export' && e.entitySha256 === signed.sha256),
    'the export is audited',
  );
  const ds = JSON.parse(readFileSync(join(out, 'dataset.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(ds['channel_names'], { '0': 'CT' });
  assert.deepEqual(ds['labels'], { background: 0, GGO: 1, high_opacity: 2 });
  assert.equal(ds['numTraining'], 1);
  assert.equal(ds['file_ending'], '.nii.gz');
  assert.ok(existsSync(join(out, 'imagesTr', `${c.case}_0000.nii.gz`)) && existsSync(join(out, 'labelsTr', `${c.case}.nii.gz`)));
  assertManifestHashes(out, m);
  assertNoPhi(out);
  if (existsSync(PY)) {
    const vol = store.loadVolume(c1);
    const labels = store.loadLabels(signed.id);
    writeFileSync(join(root, 'img.raw'), new Uint8Array(vol.data.buffer, vol.data.byteOffset, vol.data.byteLength));
    writeFileSync(join(root, 'lab.raw'), labels);
    const a = rasAffineFromGeometry(vol);
    const affine = [a.slice(0, 4), a.slice(4, 8), a.slice(8, 12), [0, 0, 0, 1]];
    const spec = {
      files: [
        { path: join(out, 'imagesTr', `${c.case}_0000.nii.gz`), raw: join(root, 'img.raw'), dtype: 'int16', size: vol.size, affine },
        { path: join(out, 'labelsTr', `${c.case}.nii.gz`), raw: join(root, 'lab.raw'), dtype: 'uint8', size: vol.size, affine },
      ],
    };
    writeFileSync(join(root, 'nifti-spec.json'), JSON.stringify(spec));
    const r = JSON.parse(
      execFileSync(PY, [join(REPO_ROOT, 'test/fixtures/interop/check_nifti.py'), join(root, 'nifti-spec.json')], { encoding: 'utf8' }),
    ) as { files: { dtype: string; voxelsEqual: boolean; affineMaxAbsDiff: number; descrip: string }[] };
    assert.deepEqual(
      r.files.map((f) => f.dtype),
      ['int16', 'uint8'],
    );
    for (const f of r.files) {
      assert.equal(f.voxelsEqual, true);
      assert.ok(f.affineMaxAbsDiff < 1e-4, String(f.affineMaxAbsDiff));
      assert.equal(f.descrip, 'Lung Burden export');
    }
  }
  store.close();
});

test('lung-burden-v1 export: image, lesions, lung, case.json per case; nothing signed → clear error', () => {
  const { store, c1, c2 } = setup();
  const out = join(root, 'lbv1');
  const m = exportTrainingSet(store, { caseIds: [c1], format: 'lung-burden-v1', outDir: out, deidentifier: deidentifierFor(store) });
  const name = m.cases[0]!.case;
  for (const f of ['image.nii.gz', 'lesions.nii.gz', 'lung.nii.gz', 'case.json']) assert.ok(existsSync(join(out, 'cases', name, f)), f);
  assertManifestHashes(out, m);
  assertNoPhi(out);
  // Same salt (same store) → same pseudonym in a second export.
  const again = exportTrainingSet(store, {
    caseIds: [c1],
    format: 'nnunet',
    outDir: join(root, 'again'),
    deidentifier: deidentifierFor(store),
  });
  assert.equal(again.cases[0]!.case, name);
  assert.throws(
    () => exportTrainingSet(store, { caseIds: [c2], format: 'nnunet', outDir: join(root, 'none'), deidentifier: deidentifierFor(store) }),
    (e: unknown) => e instanceof ExportError && e.code === 'nothing-to-export',
  );
  store.close();
});

test('DICOM SEG export of a stored case (plain and de-identified) decodes to the signed version', () => {
  const { store, c1, signed } = setup();
  const plain = exportDicomSeg(store, c1, join(root, 'seg'));
  assert.equal(plain.version.id, signed.id);
  const meta = store.seriesMetadata(c1);
  const g = store.getCase(c1).geometry;
  const bytes = new Uint8Array(readFileSync(join(root, 'seg', plain.file.path)));
  const d = decodeDicomSeg(bytes, { geometry: g, sopInstanceUids: meta.sopInstanceUids });
  assert.deepEqual(d.lesions?.data, store.loadLabels(signed.id));
  // The signed version is the AI output edited by the reader: SEMIAUTOMATIC, with the model named.
  assert.equal(d.segments.find((s) => s.number === 1)?.algorithmType, 'SEMIAUTOMATIC');
  assert.equal(d.segments.find((s) => s.number === 2)?.algorithmType, 'SEMIAUTOMATIC');
  assert.ok(Buffer.from(bytes).includes('Readerson'), 'ContentCreatorName is the signer of the result');
  const deid = deidentifierFor(store);
  const anon = exportDicomSeg(store, c1, join(root, 'seg-deid'), { deidentifier: deid });
  assertNoPhi(join(root, 'seg-deid'));
  const back = decodeDicomSeg(new Uint8Array(readFileSync(join(root, 'seg-deid', anon.file.path))), {
    geometry: g,
    sopInstanceUids: meta.sopInstanceUids.map((u) => deid.uid(u)),
  });
  assert.equal(back.mapping, 'references');
  assert.deepEqual(back.lesions?.data, store.loadLabels(signed.id));
  store.close();
});

test('DICOM SEG algorithm types follow the label history: untouched AI AUTOMATIC, edited class SEMIAUTOMATIC, drawn from empty MANUAL', () => {
  const { store, c2, lesion } = setup();
  const g = store.getCase(c2).geometry;
  const uids = store.seriesMetadata(c2).sopInstanceUids;
  const types = (versionId: LabelVersionId, caseId = c2): string[] => {
    const dir = join(root, `seg-types-${String(versionId)}`);
    const r = exportDicomSeg(store, caseId, dir, { versionId });
    const d = decodeDicomSeg(new Uint8Array(readFileSync(join(dir, r.file.path))), {
      geometry: g,
      sopInstanceUids: store.seriesMetadata(caseId).sopInstanceUids,
    });
    return d.segments.filter((s) => s.number <= 2).map((s) => s.algorithmType);
  };
  const ai = store.latestLabelVersion(c2, 'lesion')!;
  assert.deepEqual(types(ai.id), ['AUTOMATIC', 'AUTOMATIC']);
  // The reader erases some high opacity only: GGO stays as the model made it.
  const edited = store.loadLabels(ai.id).map((v, x) => (v === 2 && x % 2 === 0 ? 0 : v));
  const e = store.saveLabelVersion(c2, 'lesion', edited, { kind: 'reader', name: 'Ann Readerson' }, { parentId: ai.id });
  assert.deepEqual(types(e.id), ['AUTOMATIC', 'SEMIAUTOMATIC']);
  // A reader's version built on the edited one still descends from the AI output.
  const e2 = store.saveLabelVersion(c2, 'lesion', lesion(9), { kind: 'reader', name: 'Ann Readerson' }, { parentId: e.id });
  assert.deepEqual(types(e2.id), ['SEMIAUTOMATIC', 'SEMIAUTOMATIC']);
  assert.equal(uids.length, 8);
  // A case where the reader drew everything from empty (no model or algorithm version).
  const meta = seriesMetadata({
    studyInstanceUid: '1.2.826.0.1.4242.9.1',
    seriesInstanceUid: '1.2.826.0.1.4242.9.2',
    sopInstanceUids: Array.from({ length: 8 }, (_, k) => `1.2.826.0.1.4242.9.2.${k + 1}`),
  });
  const c3 = store.addSeries({
    metadata: meta,
    volume: syntheticVolume([16, 12, 8], 9),
    sourcePath: '/nowhere',
    sourceKind: 'dicom',
    issues: [],
  }).caseId;
  const drawn = store.saveLabelVersion(c3, 'lesion', lesion(8), { kind: 'reader', name: 'Ann Readerson' });
  assert.deepEqual(types(drawn.id, c3), ['MANUAL', 'MANUAL']);
  store.close();
});

test('CLI export by case id (dicom-seg, nifti, nnunet) and reader agreement over the store', async () => {
  const { store, c1, c2 } = setup();
  const dataDir = store.dataDir;
  const ag = readerAgreement(store, 'Ann Readerson', 'Bob Second');
  assert.equal(ag.cases.length, 1);
  assert.equal(ag.skipped.length, 1);
  assert.ok(ag.cases[0]!.agreement.dice.lesion! > 0 && ag.cases[0]!.agreement.burdenPercent !== null);
  assert.match(ag.cohortCsv, /^class,measure,n,mean_dice,bias,sd,loa_low,loa_high\n/);
  store.close();
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  assert.equal(
    await runExportCommand({ target: String(c1), format: 'dicom-seg', out: join(root, 'cli-seg'), dataDir, log, deidentify: true }),
    0,
  );
  assert.ok(existsSync(join(root, 'cli-seg', 'deidentification.json')));
  assertNoPhi(join(root, 'cli-seg'));
  assert.equal(
    await runExportCommand({ target: String(c2), format: 'nifti', out: join(root, 'cli-nifti'), dataDir, log, deidentify: true }),
    0,
  );
  assertNoPhi(join(root, 'cli-nifti'));
  const man = JSON.parse(readFileSync(join(root, 'cli-nifti', 'manifest.json'), 'utf8')) as {
    files: { path: string; sha256: string }[];
    lesionVersion: { signed: boolean };
  };
  assert.equal(man.files.length, 4);
  assert.equal(man.lesionVersion.signed, false);
  assertManifestHashes(join(root, 'cli-nifti'), man);
  assert.equal(await runExportCommand({ target: String(c1), format: 'nnunet', out: join(root, 'cli-nnunet'), dataDir, log }), 0);
  await assert.rejects(runExportCommand({ target: String(c2), format: 'nnunet', out: join(root, 'cli-nn2'), dataDir, log }), ExportError);
  await assert.rejects(
    runExportCommand({ target: String(c1), format: 'nnunet', out: join(root, 'cli-nn3'), dataDir, log, deidentify: false }),
    /always de-identified/,
  );
  assert.equal(logs.length, 3);
});
