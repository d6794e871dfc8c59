import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDicomFiles, importDicomFolder } from '../../../electron/services/imports/import-dicom-folder.ts';
import type { ImportResult } from '../../../shared/dicom/types.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { assertMatchesReference, dataPath, reference } from './dicom-test-data.ts';

const IMPORT = dataPath('dicom-import');
const A = IMPORT && join(IMPORT, 'A_real_series_totalseg_siemens_j2k');

function only(r: ImportResult) {
  assert.equal(r.series.length, 1, `one series expected, issues: ${JSON.stringify(r.issues)}`);
  return r.series[0]!;
}

test('set A: J2K original, explicit LE and JPEG lossless SV1 give identical volumes equal to the pydicom reference', async (t) => {
  if (!A) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const variants = readdirSync(A, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  assert.ok(variants.length >= 3, `variants present: ${variants.join(', ')}`);
  let first: Volume | null = null;
  for (const name of variants) {
    const r = await importDicomFolder(join(A, name));
    const s = only(r);
    assertMatchesReference(s.volume, reference.series[`A/${name}`]!, `A/${name}`);
    assert.equal(s.files.length, 20);
    assert.equal(s.metadata.sopInstanceUids.length, 20);
    assert.ok(
      s.metadata.sopInstanceUids.every((u) => u.startsWith('1.3.12.2.1107.5.1.4.60064.')),
      'UIDs from the file meta when the dataset has them empty',
    );
    if (first) assert.deepEqual(s.volume.data, first.data, `${name} pixels identical to ${variants[0]}`);
    else first = s.volume;
  }
});

test('set A original: empty Series/SOP UIDs fall back to FrameOfReference grouping (one series, not one per file)', async (t) => {
  if (!A) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const s = only(await importDicomFolder(join(A, 'original_j2k_lossless')));
  // The empty Series UID is replaced by a stable derived one (the original, empty, is kept).
  assert.match(s.metadata.seriesInstanceUid, /^2\.25\.\d+$/);
  assert.equal(s.metadata.originalSeriesInstanceUid, '');
  assert.ok(s.issues.some((i) => i.code === 'invalid-series-uid'));
  assert.equal(s.metadata.frameOfReferenceUid, '1.3.12.2.1107.5.1.4.60064.30000022120807274275100000041');
  assert.equal(s.metadata.transferSyntaxUid, '1.2.840.10008.1.2.4.90');
  assert.equal(s.metadata.sopClassUid, '1.2.840.10008.5.1.4.1.1.2');
  // Slices ascend in z (LPS superior): k = 0 is the most inferior one.
  assert.deepEqual([...s.volume.originLps], [-249.51171875, -437.51171875, -804.5]);
  assert.equal(s.volume.spacingMm[2], 2);
});

test('set B: 164-slice explicit LE chest series matches the reference', async (t) => {
  if (!IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const s = only(await importDicomFolder(join(IMPORT, 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le')));
  assertMatchesReference(s.volume, reference.series['B/series_explicit_le']!, 'B');
  assert.equal(s.metadata.patientId, 'TEST-CHEST-0001');
  assert.deepEqual(s.issues, []);
});

test('set E: minimal metadata (no Modality, IPP 0,0,0 / 0,0,1, signed HU) imports as a 2-slice CT', async (t) => {
  if (!IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const r = await importDicomFolder(join(IMPORT, 'E_lidc_minimal_metadata_slices_lungmask'));
  const s = only(r);
  assertMatchesReference(s.volume, reference.series['E']!, 'E');
  assert.equal(s.metadata.modality, 'CT');
  // The licence and provenance files are reported, not fatal.
  assert.deepEqual(r.issues.map((i) => i.code).sort(), ['not-dicom', 'not-dicom']);
});

test('set F: gantry tilt and variable spacing are detected and reported; kept run matches the reference', async (t) => {
  if (!IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const s = only(await importDicomFolder(join(IMPORT, 'F_edgecase_gantry_tilt_variable_spacing_dcm_qa_ct_GE_head')));
  const ref = reference.series['F']!;
  assert.equal(ref.unevenSpacing, true);
  assert.ok(Math.abs(ref.tiltDegrees! - 18.5) < 0.1);
  assertMatchesReference(s.volume, ref, 'F');
  assert.deepEqual(s.files, ref.files);
  const codes = s.issues.map((i) => i.code).sort();
  assert.deepEqual(codes, ['gantry-tilt', 'uneven-spacing']);
  const tilt = s.issues.find((i) => i.code === 'gantry-tilt')!;
  assert.match(tilt.message, /18\.5°/);
  const uneven = s.issues.find((i) => i.code === 'uneven-spacing')!;
  assert.match(uneven.message, /4\.22 mm ×13/);
  assert.match(uneven.message, /7\.38 mm ×13/);
  assert.match(uneven.message, /14 of 28/);
  // The k axis is the measured stacking direction, not the image normal (voxel positions exact).
  const v = s.volume;
  const normal = [0, 0.3173047, 0.9483237];
  const kDir = v.directionLps.slice(6);
  const cos = kDir.reduce((a, x, c) => a + x * normal[c]!, 0);
  assert.ok(Math.abs((Math.acos(cos) * 180) / Math.PI - 18.5) < 0.1);
});

/** Builds a folder from real files in a temp dir (names chosen by the test). */
function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lb-dicom-'));
  for (const [name, src] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    if (typeof src === 'string') copyFileSync(src, join(dir, name));
    else writeFileSync(join(dir, name), src);
  }
  return dir;
}

test('bad input: truncated, non-DICOM, SEG/SR, DICOMDIR and duplicates are reported; the good series still imports', async (t) => {
  if (!A || !IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const le = join(A, 'derived_explicit_le_uncompressed');
  const sv1 = join(A, 'derived_jpeg_lossless_sv1');
  const names = readdirSync(le).sort();
  const files: Record<string, string | Uint8Array> = {};
  names.forEach((n, i) => (files[`series/${String(i).padStart(3, '0')}`] = join(le, n))); // no extensions
  // Truncated copies of files of other series (a cut copy of a file already imported is a duplicate).
  const b = join(IMPORT, 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le');
  const bBytes = readFileSync(join(b, 'IM_0001.dcm'));
  files['series/999-truncated-pixels'] = bBytes.subarray(0, bBytes.length - 1000);
  files['series/998-truncated-header'] = readFileSync(join(b, 'IM_0002.dcm')).subarray(0, 600);
  const ricord = dataPath('chest-ct', 'ricord1a-000082-covid', 'series_2_ROUTINE_CHEST_NON-CON_1.25mm_EVERY_2ND_FILE', '1-001.dcm')!;
  files['series/997-jpeg-cut'] = readFileSync(ricord).subarray(0, 30000);
  files['series/996-cut-copy'] = readFileSync(join(sv1, readdirSync(sv1).sort()[3]!)).subarray(0, 30000);
  files['junk/readme.txt'] = new TextEncoder().encode('not a DICOM file');
  files['junk/empty.bin'] = new Uint8Array(0);
  files['DICOMDIR'] = new Uint8Array(200);
  files['zz-dup/copy-of-first.dcm'] = join(le, names[0]!);
  const seg = dataPath('dicom-seg', 'highdicom', 'seg_image_ct_binary.dcm')!;
  const sr = dataPath('dicom-seg', 'dcmqi', 'sr-example', 'sr.dcm')!;
  files['objects/seg.dcm'] = seg;
  files['objects/sr.dcm'] = sr;
  const dir = folder(files);
  try {
    const progress: number[] = [];
    const r = await importDicomFolder(dir, {
      onProgress: (done, total) => progress.push(done / total),
    });
    const s = only(r);
    assertMatchesReference(s.volume, reference.series['A/derived_explicit_le_uncompressed']!, 'A with junk around');
    const byFile = new Map(r.issues.map((i) => [i.file, i]));
    assert.equal(byFile.get('series/999-truncated-pixels')?.code, 'truncated');
    assert.equal(byFile.get('series/999-truncated-pixels')?.severity, 'error');
    assert.equal(byFile.get('series/998-truncated-header')?.code, 'truncated');
    assert.ok(
      ['truncated', 'decode-failed'].includes(byFile.get('series/997-jpeg-cut')?.code ?? ''),
      JSON.stringify(byFile.get('series/997-jpeg-cut')),
    );
    assert.equal(byFile.get('series/996-cut-copy')?.code, 'duplicate-instance', 'a cut copy of an imported instance is a duplicate');
    assert.equal(byFile.get('junk/readme.txt')?.code, 'not-dicom');
    assert.equal(byFile.get('junk/empty.bin')?.code, 'not-dicom');
    assert.equal(byFile.get('zz-dup/copy-of-first.dcm')?.code, 'duplicate-instance');
    assert.equal(byFile.get('objects/seg.dcm')?.code, 'not-ct');
    assert.match(byFile.get('objects/seg.dcm')!.message, /Segmentation \(SEG\).*modality SEG/);
    assert.equal(byFile.get('objects/sr.dcm')?.code, 'not-ct');
    assert.match(byFile.get('objects/sr.dcm')!.message, /SR/);
    assert.equal(byFile.has('DICOMDIR'), false, 'DICOMDIR is skipped silently');
    assert.equal(progress.length, Object.keys(files).length);
    assert.equal(progress.at(-1), 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mixed folder: two series become two ImportedSeries; the same SOP instances in two encodings are imported once', async (t) => {
  if (!A || !IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const files: Record<string, string> = {};
  const le = join(A, 'derived_explicit_le_uncompressed');
  const sv1 = join(A, 'derived_jpeg_lossless_sv1');
  for (const n of readdirSync(le)) files[`a-le/${n}`] = join(le, n);
  for (const n of readdirSync(sv1)) files[`a-sv1/${n}`] = join(sv1, n);
  const b = join(IMPORT, 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le');
  for (const n of readdirSync(b).slice(0, 30)) files[`b/${n}`] = join(b, n);
  const dir = folder(files);
  try {
    const r = await importDicomFolder(dir);
    assert.equal(r.series.length, 2);
    const [a, bb] = r.series[0]!.volume.size[2] === 20 ? [r.series[0]!, r.series[1]!] : [r.series[1]!, r.series[0]!];
    assert.equal(a.volume.size[2], 20);
    assert.ok(
      a.files.every((f) => f.startsWith('a-le/')),
      'first encoding (by path order) wins',
    );
    assert.equal(bb.volume.size[2], 30);
    assert.equal(r.issues.filter((i) => i.code === 'duplicate-instance').length, 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicate positions with different SOP UIDs are de-duplicated with a warning', async (t) => {
  if (!IMPORT) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  // E holds two slices of one series; copying 0.dcm under another name keeps its SOP UID, so build a
  // position duplicate from set C's CTImage in two lossless encodings with different SOP UIDs instead.
  const c = join(IMPORT, 'C_transfer_syntax_matrix_single_slices', 'cornerstoneWADOImageLoader');
  const dir = folder({
    'x1.dcm': join(c, 'CTImage.dcm'),
    'x2.dcm': join(c, 'CTImage.dcm_JPEG2000TransferSyntax_1.2.840.10008.1.2.4.91.dcm'),
  });
  try {
    const r = await importDicomFolder(dir);
    const s = only(r);
    assert.equal(s.volume.size[2], 1);
    assert.deepEqual(s.files, ['x1.dcm']);
    assert.deepEqual(s.issues.map((i) => i.code).sort(), ['duplicate-position', 'single-slice']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('empty folder, missing folder and a folder without CT give clear issues, no series', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-empty-'));
  try {
    const r = await importDicomFolder(dir);
    assert.deepEqual(r.series, []);
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['empty'],
    );
    const missing = await importDicomFolder(join(dir, 'nope'));
    assert.deepEqual(
      missing.issues.map((i) => [i.severity, i.code]),
      [['error', 'unreadable']],
    );
    writeFileSync(join(dir, 'a.txt'), 'hello');
    const none = await importDicomFolder(dir);
    assert.deepEqual(
      none.issues.map((i) => i.code),
      ['not-dicom', 'no-ct-series'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('abort: a signal aborted before the walk rejects with its reason', async (t) => {
  if (!A) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const ac = new AbortController();
  ac.abort(new Error('stop'));
  await assert.rejects(importDicomFolder(join(A, 'derived_explicit_le_uncompressed'), { signal: ac.signal }), /stop/);
  // importDicomFiles with explicit paths works without a root (names are the paths).
  const le = join(A, 'derived_explicit_le_uncompressed');
  const paths = readdirSync(le).map((n) => join(le, n));
  const r = await importDicomFiles(paths.slice(0, 3));
  assert.equal(only(r).volume.size[2], 3);
  assert.ok(only(r).files[0]!.startsWith(le));
});
