import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDicomSeg, DicomSegError, encodeDicomSeg, formatDs, lesionSegAlgorithms, LOCAL_CODING_SCHEME, personName, segAlgorithmOf, segOwnGeometry, type DicomSegInput } from '../../../shared/export/dicom-seg.ts';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import { parseDicom } from '../../../shared/dicom/parse-dicom.ts';
import { numberValue, sequenceItems, textValue } from '../../../shared/dicom/dataset-values.ts';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';
import { REPO_ROOT, SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const CHECKER = join(REPO_ROOT, 'test', 'fixtures', 'interop', 'check_seg.py');
const hasDciodvfy = spawnSync('dciodvfy', ['-h'], { encoding: 'utf8' }).error === undefined;

const G: VolumeGeometry = { size: [13, 11, 6], spacingMm: [0.7, 0.8, 2.5], originLps: [-100.25, -120, -300], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const N = 13 * 11 * 6;

function maps(): { lesions: LabelMap; lung: LabelMap } {
  const lesions = new Uint8Array(N);
  const lung = new Uint8Array(N);
  for (let x = 0; x < N; x++) {
    lesions[x] = x % 7 === 0 ? 1 : x % 11 === 0 ? 2 : 0;
    lung[x] = x % 3 === 0 ? 1 : x % 3 === 1 ? 2 : 0;
  }
  lesions.fill(0, 13 * 11 * 2, 13 * 11 * 3); // an empty slice: no frame for it
  return { lesions: { ...G, data: lesions }, lung: { ...G, data: lung } };
}

let uidCounter = 0;
function input(over: Partial<DicomSegInput> = {}): DicomSegInput {
  const { lesions, lung } = maps();
  return {
    lesions,
    lesionAlgorithm: segAlgorithmOf({ kind: 'reader', name: 'Jane Reader' }),
    lung: { labels: lung, algorithm: segAlgorithmOf({ kind: 'algorithm', name: 'lung-burden classical lung mask v1' }) },
    source: seriesMetadata({ sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`), patientName: 'Müller^Jürgen' }),
    newUid: () => `2.25.${++uidCounter}`,
    createdAt: '2024-03-05T10:11:12.000Z',
    softwareVersion: '0.1.0',
    contentCreator: 'Jane Reader',
    ...over,
  };
}

function dciodvfyErrors(bytes: Uint8Array): { errors: string[]; all: string } {
  const dir = mkdtempSync(join(tmpdir(), 'seg-'));
  try {
    const f = join(dir, 'seg.dcm');
    writeFileSync(f, bytes);
    const r = spawnSync('dciodvfy', [f], { encoding: 'utf8' });
    const all = `${r.stdout}${r.stderr}`;
    return { errors: all.split('\n').filter((l) => /^\s*Error/.test(l)), all };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('label map → SEG → label map is exact (by references and by positions)', () => {
  const inp = input();
  const bytes = encodeDicomSeg(inp);
  const byRef = decodeDicomSeg(bytes, { geometry: G, sopInstanceUids: inp.source.sopInstanceUids });
  assert.equal(byRef.mapping, 'references');
  assert.deepEqual(byRef.lesions?.data, inp.lesions.data);
  assert.deepEqual(byRef.lung?.data, inp.lung?.labels.data);
  assert.deepEqual(byRef.segments.map((s) => [s.number, s.role, s.algorithmType]), [
    [1, 'ggo', 'MANUAL'], [2, 'highOpacity', 'MANUAL'], [3, 'lungRight', 'AUTOMATIC'], [4, 'lungLeft', 'AUTOMATIC'],
  ]);
  const byPos = decodeDicomSeg(bytes, { geometry: G });
  assert.equal(byPos.mapping, 'positions');
  assert.deepEqual(byPos.lesions?.data, inp.lesions.data);
  assert.equal(byPos.referencedSeriesInstanceUid, '1.2.3.4.5');
});

test('frames: segment-major, slice order, only non-empty; an all-empty map gives one empty frame', () => {
  const { lesions } = maps();
  const only = new Uint8Array(N);
  only[3 * 143 + 5] = 2; // slice 3, high opacity
  only[1 * 143 + 7] = 1; // slice 1, GGO
  const bytes = encodeDicomSeg(input({ lesions: { ...G, data: only }, lung: undefined as never }));
  const frames = sequenceItems(parseDicom(bytes).dataset, 'PerFrameFunctionalGroupsSequence').map((f) => [
    numberValue(sequenceItems(f, 'SegmentIdentificationSequence')[0]!, 'ReferencedSegmentNumber'),
    textValue(sequenceItems(sequenceItems(f, 'DerivationImageSequence')[0]!, 'SourceImageSequence')[0]!, 'ReferencedSOPInstanceUID'),
  ]);
  assert.deepEqual(frames, [[1, '1.2.3.4.5.2'], [2, '1.2.3.4.5.4']]);
  const empty = encodeDicomSeg(input({ lesions: { ...lesions, data: new Uint8Array(N) }, lung: undefined as never }));
  const d = decodeDicomSeg(empty, { geometry: G });
  assert.equal(d.lesions?.data.some((v) => v !== 0), false);
});

test('a case without DICOM source instances cannot become a SEG (clear error)', () => {
  assert.throws(() => encodeDicomSeg(input({ source: seriesMetadata({ sopInstanceUids: [] }) })), (e: unknown) => e instanceof DicomSegError && e.code === 'no-dicom-source');
  const other: VolumeGeometry = { ...G, size: [12, 11, 6] };
  assert.throws(() => decodeDicomSeg(encodeDicomSeg(input()), { geometry: other }), (e: unknown) => e instanceof DicomSegError && e.code === 'geometry-mismatch');
  assert.throws(() => decodeDicomSeg(new Uint8Array(200), { geometry: G }), DicomSegError);
});

test('helpers: DS strings fit 16 characters, person names get a caret, model authors are AUTOMATIC', () => {
  for (const x of [0.7, -123.456789012345, 1e-9, 123456789.123456, -0]) assert.ok(formatDs(x).length <= 16, formatDs(x));
  assert.equal(personName('Jane Reader'), 'Reader^Jane');
  assert.equal(personName('Doe^John'), 'Doe^John');
  assert.deepEqual(segAlgorithmOf({ kind: 'model', name: 'convlstm 1.2.0', modelName: 'convlstm', modelVersion: '1.2.0' }), { type: 'AUTOMATIC', name: 'convlstm', version: '1.2.0', family: 'ai' });
});

const AI = { kind: 'model', name: 'convlstm 1.2.0', modelName: 'convlstm', modelVersion: '1.2.0' } as const;

test('algorithm types: untouched AI output AUTOMATIC, AI then edited SEMIAUTOMATIC (per class), drawn from empty MANUAL', () => {
  const reader = { kind: 'reader', name: 'Jane Reader' } as const;
  const ai = segAlgorithmOf(AI);
  assert.deepEqual(lesionSegAlgorithms(AI, null, () => true), { ggo: ai, highOpacity: ai });
  assert.deepEqual(lesionSegAlgorithms(reader, AI, (l) => l === 2), { ggo: ai, highOpacity: { ...ai, type: 'SEMIAUTOMATIC' } });
  assert.deepEqual(lesionSegAlgorithms(reader, null, () => false), { ggo: { type: 'MANUAL' }, highOpacity: { type: 'MANUAL' } });
  const classical = { kind: 'algorithm', name: 'threshold v2' } as const;
  assert.equal(lesionSegAlgorithms(reader, classical, () => true).ggo.type, 'SEMIAUTOMATIC');

  const bytes = encodeDicomSeg(input({ lesionAlgorithms: lesionSegAlgorithms(reader, AI, () => true) }));
  const ds = parseDicom(bytes).dataset;
  const segs = sequenceItems(ds, 'SegmentSequence');
  assert.deepEqual(segs.map((s) => textValue(s, 'SegmentAlgorithmType')), ['SEMIAUTOMATIC', 'SEMIAUTOMATIC', 'AUTOMATIC', 'AUTOMATIC']);
  assert.equal(textValue(segs[0]!, 'SegmentAlgorithmName'), 'convlstm');
  assert.equal(textValue(ds, 'ContentCreatorName'), 'Reader^Jane');
});

test('study attributes come from the source; high opacity is coded as consolidation + pleural effusion', () => {
  const source = seriesMetadata({
    sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`),
    studyDate: '20200412', studyTime: '093015.25', studyId: 'S-17', accessionNumber: 'ACC-99', referringPhysicianName: 'Who^Doctor',
  });
  const ds = parseDicom(encodeDicomSeg(input({ source }))).dataset;
  assert.deepEqual(
    ['StudyDate', 'StudyTime', 'StudyID', 'AccessionNumber', 'ReferringPhysicianName'].map((k) => textValue(ds, k)),
    ['20200412', '093015.25', 'S-17', 'ACC-99', 'Who^Doctor'],
  );
  // An old case without the new fields, and an invalid time: empty (type 2), never made up.
  const old = parseDicom(encodeDicomSeg(input({ source: { ...source, studyTime: '9:30 am', studyId: undefined as never } }))).dataset;
  assert.equal(textValue(old, 'StudyTime'), '');
  assert.equal(textValue(old, 'StudyID'), '');
  const ho = sequenceItems(ds, 'SegmentSequence')[1]!;
  assert.equal(textValue(ho, 'SegmentDescription'), 'High opacity: consolidation + pleural effusion');
  const type = sequenceItems(ho, 'SegmentedPropertyTypeCodeSequence')[0]!;
  assert.deepEqual([textValue(type, 'CodeValue'), textValue(type, 'CodingSchemeDesignator'), textValue(type, 'CodeMeaning')], ['HIGH-OPACITY', LOCAL_CODING_SCHEME, 'Consolidation and pleural effusion']);
  assert.equal(textValue(sequenceItems(ho, 'SegmentedPropertyCategoryCodeSequence')[0]!, 'CodeValue'), '49755003');
  const scheme = sequenceItems(ds, 'CodingSchemeIdentificationSequence');
  assert.deepEqual(scheme.map((s) => textValue(s, 'CodingSchemeDesignator')), [LOCAL_CODING_SCHEME]);
  // Our decoder reads ours and other tools' consolidation / effusion codes as high opacity.
  const back = decodeDicomSeg(encodeDicomSeg(input({ source })), { geometry: G, sopInstanceUids: source.sopInstanceUids });
  assert.equal(back.segments[1]?.role, 'highOpacity');
});

test('dciodvfy finds no errors in our SEG (with and without lung, model-made)', { skip: hasDciodvfy ? false : 'dciodvfy (Debian dicom3tools) not installed' }, () => {
  const source = seriesMetadata({ sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`), studyTime: '093015', studyId: 'S-17', referringPhysicianName: 'Who^Doctor' });
  for (const inp of [
    input(),
    input({ lung: undefined as never, lesionAlgorithm: segAlgorithmOf({ kind: 'model', name: 'm 1', modelName: 'convlstm', modelVersion: '1.0.0' }) }),
    input({ source, lesionAlgorithms: lesionSegAlgorithms({ kind: 'reader', name: 'Jane Reader' }, AI, (l) => l === 2) }),
  ]) {
    const { errors, all } = dciodvfyErrors(encodeDicomSeg(inp));
    assert.deepEqual(errors, [], all);
    assert.match(all, /Segmentation/);
  }
});

test('highdicom reads our SEG with the same voxels', { skip: existsSync(PY) ? false : '.venv python absent' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'seg-hd-'));
  try {
    const inp = input({ lesionAlgorithms: lesionSegAlgorithms({ kind: 'reader', name: 'Jane Reader' }, AI, (label) => label === 1) });
    writeFileSync(join(dir, 'seg.dcm'), encodeDicomSeg(inp));
    writeFileSync(join(dir, 'lesions.u8'), inp.lesions.data);
    writeFileSync(join(dir, 'lung.u8'), inp.lung!.labels.data);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ size: G.size, sopInstanceUids: inp.source.sopInstanceUids, lesions: join(dir, 'lesions.u8'), lung: join(dir, 'lung.u8') }));
    const out = JSON.parse(execFileSync(PY, [CHECKER, join(dir, 'seg.dcm'), join(dir, 'spec.json')], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(out['lesionsEqual'], true);
    assert.equal(out['lungEqual'], true);
    assert.equal(out['segmentationType'], 'BINARY');
    assert.equal(out['patientName'], 'Müller^Jürgen');
    assert.deepEqual((out['segments'] as { type: string }[]).map((s) => s.type), ['112120', 'HIGH-OPACITY', '39607008', '39607008']);
    assert.deepEqual((out['segments'] as { algorithmType: string }[]).map((s) => s.algorithmType), ['SEMIAUTOMATIC', 'AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const data = sharedDataDir();
const SEG_DIR = data ? join(data, 'dicom-seg') : '';

async function importCt(rel: string) {
  const r = await importAnyPath(join(SEG_DIR, rel));
  const s = r.series[0]!;
  return { geometry: s.volume as VolumeGeometry, sopInstanceUids: s.metadata.sopInstanceUids, metadata: s.metadata };
}

function highdicomCounts(seg: string, uids: readonly string[]): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'seg-c-'));
  try {
    writeFileSync(join(dir, 'uids.json'), JSON.stringify(uids));
    return JSON.parse(execFileSync(PY, [CHECKER, '--counts', seg, join(dir, 'uids.json')], { encoding: 'utf8' })) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('dcmqi SEGs decode onto their CT like highdicom does', { skip: data ? false : SHARED_DATA_MISSING }, async () => {
  const ct = await importCt('dcmqi/segmentations/ct-3slice');
  for (const f of ['liver.dcm', 'partial_overlaps.dcm']) {
    const path = join(SEG_DIR, 'dcmqi/segmentations', f);
    const d = decodeDicomSeg(new Uint8Array(readFileSync(path)), ct);
    assert.equal(d.mapping, 'references');
    if (existsSync(PY)) {
      const hd = highdicomCounts(path, ct.sopInstanceUids);
      assert.deepEqual(Object.fromEntries(d.segments.map((s) => [String(s.number), s.voxels])), hd, f);
    }
    if (f === 'partial_overlaps.dcm') assert.ok(d.overlapVoxels > 0);
  }
  const lm = await importCt('dcmqi/segmentations/24x38x3/image');
  const sparse = decodeDicomSeg(new Uint8Array(readFileSync(join(SEG_DIR, 'dcmqi/segmentations/sparse-labelmap-ppv5.dcm'))), lm);
  assert.equal(sparse.segmentationType, 'LABELMAP');
  assert.ok((sparse.segments.find((s) => s.number === 1)?.voxels ?? 0) > 0);
});

test('our SEG on a real CT series (dcmqi ct-3slice) is dciodvfy-clean and round-trips', { skip: data ? false : SHARED_DATA_MISSING }, async () => {
  const ct = await importCt('dcmqi/segmentations/ct-3slice');
  const n = ct.geometry.size[0] * ct.geometry.size[1] * ct.geometry.size[2];
  const lesions = new Uint8Array(n);
  for (let x = 0; x < n; x += 97) lesions[x] = (x % 2) + 1;
  const bytes = encodeDicomSeg({ ...input(), lesions: { ...ct.geometry, data: lesions }, lung: undefined as never, source: ct.metadata });
  assert.deepEqual(decodeDicomSeg(bytes, ct).lesions?.data, lesions);
  if (hasDciodvfy) assert.deepEqual(dciodvfyErrors(bytes).errors, []);
});

test('highdicom SEGs: binary, fractional, overlap off-grid, own-grid decoding', { skip: data ? false : SHARED_DATA_MISSING }, async () => {
  const ct = await importCt('highdicom/referenced_ct_from_pydicom_dicomdirtests_77654033_CT2');
  const read = (f: string) => new Uint8Array(readFileSync(join(SEG_DIR, 'highdicom', f)));
  const bin = decodeDicomSeg(read('seg_image_ct_binary.dcm'), ct);
  const frac = decodeDicomSeg(read('seg_image_ct_binary_fractional.dcm'), ct);
  assert.equal(frac.segmentationType, 'FRACTIONAL');
  assert.deepEqual(frac.segmentLabels.data, bin.segmentLabels.data);
  assert.ok(bin.segments[0]!.voxels > 0);
  // The overlap SEG has a frame on the CT's outlying 4th slice, which the importer leaves out.
  const overlap = read('seg_image_ct_binary_overlap.dcm');
  assert.throws(() => decodeDicomSeg(overlap, ct), (e: unknown) => e instanceof DicomSegError && e.code === 'geometry-mismatch');
  const own = decodeDicomSeg(overlap, { geometry: segOwnGeometry(overlap) });
  assert.ok(own.overlapVoxels > 0);
  const tcga = join(SEG_DIR, 'orthanc-tests-tcga-gbm', 'DicomSeg.dcm');
  const t = new Uint8Array(readFileSync(tcga));
  const td = decodeDicomSeg(t, { geometry: segOwnGeometry(t) });
  assert.deepEqual(td.segments.map((s) => s.label), ['Necrosis', 'Edema', 'Enhancing Lesion']);
  assert.ok(td.segments.every((s) => s.voxels > 0));
  assert.throws(() => segOwnGeometry(read('seg_image_sm_control_labelmap.dcm')), DicomSegError);
});
