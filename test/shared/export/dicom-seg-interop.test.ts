import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeDicomSeg,
  DicomSegError,
  encodeDicomSeg,
  lesionSegAlgorithms,
  segAlgorithmOf,
  segOwnGeometry,
} from '../../../shared/export/dicom-seg.ts';
import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';
import {
  HAS_DCIODVFY as hasDciodvfy,
  SEG_AI_AUTHOR as AI,
  SEG_GEOMETRY as G,
  dciodvfyErrors,
  segTestInput as input,
} from '../../support/dicom-seg-fixture.ts';
import { REPO_ROOT, SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

// Our DICOM SEG against the field's tools: dciodvfy, highdicom, and SEGs written by dcmqi/highdicom.
const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const CHECKER = join(REPO_ROOT, 'test', 'fixtures', 'interop', 'check_seg.py');

test(
  'dciodvfy finds no errors in our SEG (with and without lung, model-made)',
  { skip: hasDciodvfy ? false : 'dciodvfy (Debian dicom3tools) not installed' },
  () => {
    const source = seriesMetadata({
      sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`),
      studyTime: '093015',
      studyId: 'S-17',
      referringPhysicianName: 'Who^Doctor',
    });
    for (const inp of [
      input(),
      input({
        lung: undefined as never,
        lesionAlgorithm: segAlgorithmOf({ kind: 'model', name: 'm 1', modelName: 'convlstm', modelVersion: '1.0.0' }),
      }),
      input({ source, lesionAlgorithms: lesionSegAlgorithms({ kind: 'reader', name: 'Jane Reader' }, AI, (l) => l === 2) }),
    ]) {
      const { errors, all } = dciodvfyErrors(encodeDicomSeg(inp));
      assert.deepEqual(errors, [], all);
      assert.match(all, /Segmentation/);
    }
  },
);

test('highdicom reads our SEG with the same voxels', { skip: existsSync(PY) ? false : '.venv python absent' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'seg-hd-'));
  try {
    const inp = input({ lesionAlgorithms: lesionSegAlgorithms({ kind: 'reader', name: 'Jane Reader' }, AI, (label) => label === 1) });
    writeFileSync(join(dir, 'seg.dcm'), encodeDicomSeg(inp));
    writeFileSync(join(dir, 'lesions.u8'), inp.lesions.data);
    writeFileSync(join(dir, 'lung.u8'), inp.lung!.labels.data);
    writeFileSync(
      join(dir, 'spec.json'),
      JSON.stringify({
        size: G.size,
        sopInstanceUids: inp.source.sopInstanceUids,
        lesions: join(dir, 'lesions.u8'),
        lung: join(dir, 'lung.u8'),
      }),
    );
    const out = JSON.parse(execFileSync(PY, [CHECKER, join(dir, 'seg.dcm'), join(dir, 'spec.json')], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    assert.equal(out['lesionsEqual'], true);
    assert.equal(out['lungEqual'], true);
    assert.equal(out['segmentationType'], 'BINARY');
    assert.equal(out['patientName'], 'Müller^Jürgen');
    assert.deepEqual(
      (out['segments'] as { type: string }[]).map((s) => s.type),
      ['112120', 'HIGH-OPACITY', '39607008', '39607008'],
    );
    assert.deepEqual(
      (out['segments'] as { algorithmType: string }[]).map((s) => s.algorithmType),
      ['SEMIAUTOMATIC', 'AUTOMATIC', 'AUTOMATIC', 'AUTOMATIC'],
    );
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

test(
  'our SEG on a real CT series (dcmqi ct-3slice) is dciodvfy-clean and round-trips',
  { skip: data ? false : SHARED_DATA_MISSING },
  async () => {
    const ct = await importCt('dcmqi/segmentations/ct-3slice');
    const n = ct.geometry.size[0] * ct.geometry.size[1] * ct.geometry.size[2];
    const lesions = new Uint8Array(n);
    for (let x = 0; x < n; x += 97) lesions[x] = (x % 2) + 1;
    const bytes = encodeDicomSeg({ ...input(), lesions: { ...ct.geometry, data: lesions }, lung: undefined as never, source: ct.metadata });
    assert.deepEqual(decodeDicomSeg(bytes, ct).lesions?.data, lesions);
    if (hasDciodvfy) assert.deepEqual(dciodvfyErrors(bytes).errors, []);
  },
);

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
  assert.throws(
    () => decodeDicomSeg(overlap, ct),
    (e: unknown) => e instanceof DicomSegError && e.code === 'geometry-mismatch',
  );
  const own = decodeDicomSeg(overlap, { geometry: segOwnGeometry(overlap) });
  assert.ok(own.overlapVoxels > 0);
  const tcga = join(SEG_DIR, 'orthanc-tests-tcga-gbm', 'DicomSeg.dcm');
  const t = new Uint8Array(readFileSync(tcga));
  const td = decodeDicomSeg(t, { geometry: segOwnGeometry(t) });
  assert.deepEqual(
    td.segments.map((s) => s.label),
    ['Necrosis', 'Edema', 'Enhancing Lesion'],
  );
  assert.ok(td.segments.every((s) => s.voxels > 0));
  assert.throws(() => segOwnGeometry(read('seg_image_sm_control_labelmap.dcm')), DicomSegError);
});
