import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeDecoderRegistry, jpegSamplePrecision } from '../../../electron/services/imports/codecs.ts';
import { importDicomFiles } from '../../../electron/services/imports/import-dicom-folder.ts';
import { DicomImportSession } from '../../../shared/dicom/dicom-import-session.ts';
import { transferSyntaxInfo } from '../../../shared/dicom/transfer-syntax.ts';
import type { ImportedSeries } from '../../../shared/dicom/types.ts';
import { SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { assertMatchesReference, dataPath, huStats, reference, voxel } from './dicom-test-data.ts';

const C = dataPath('dicom-import', 'C_transfer_syntax_matrix_single_slices');
const registry = createNodeDecoderRegistry();

async function importOne(path: string): Promise<ImportedSeries> {
  const session = new DicomImportSession({ registry });
  await session.addFile(path.split('/').pop()!, new Uint8Array(readFileSync(path)));
  const r = session.finish();
  assert.equal(r.series.length, 1, `${path}: ${JSON.stringify(r.issues)}`);
  return r.series[0]!;
}

test('set C: the 16 encodings of CTImage.dcm decode to the uncompressed pixels (exact if lossless, close if lossy)', async (t) => {
  if (!C) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(C, 'cornerstoneWADOImageLoader');
  const files = readdirSync(dir)
    .filter((f) => f.startsWith('CTImage.dcm'))
    .sort();
  assert.equal(files.length, 16);
  const base = await importOne(join(dir, 'CTImage.dcm'));
  assertMatchesReference(base.volume, reference.singleFiles['cornerstoneWADOImageLoader/CTImage.dcm']!, 'CTImage.dcm');
  const seen = new Set<string>();
  for (const f of files) {
    const s = await importOne(join(dir, f));
    const ts = transferSyntaxInfo(s.metadata.transferSyntaxUid)!;
    seen.add(ts.uid);
    const ref = reference.singleFiles[`cornerstoneWADOImageLoader/${f}`]!;
    const a = base.volume.data;
    const b = s.volume.data;
    assert.equal(b.length, a.length);
    if (!ts.lossy) {
      assert.deepEqual(b, a, `${ts.name}: pixel-identical to the uncompressed file`);
      continue;
    }
    // Lossy: against the pydicom/pylibjpeg decode of the same file (statistics and probe voxels,
    // IDCT rounding may differ by one stored unit × slope), and against the original pixels.
    const st = huStats(s.volume);
    const slope = f.includes('4.50') ? 33 : 3; // 4.50 is an 8-bit requantisation (slope ≈ 32.1), 4.51/.53/.55 12-bit (slope ≈ 2)
    assert.ok(Math.abs(st.mean - ref.mean) < 0.5, `${ts.name}: mean ${st.mean} vs reference ${ref.mean}`);
    for (const p of ref.voxels)
      assert.ok(
        Math.abs(voxel(s.volume, p.ijk) - p.hu) <= slope,
        `${ts.name}: HU at ${p.ijk.join(',')} ${voxel(s.volume, p.ijk)} vs ${p.hu}`,
      );
    let err = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++) {
      if ((a[i] as number) > -1000) {
        err += Math.abs((a[i] as number) - (b[i] as number));
        n++;
      }
    }
    const mae = err / n;
    const limit = f.includes('4.50') ? 25 : 6;
    assert.ok(mae < limit, `${ts.name}: mean abs error vs original ${mae.toFixed(2)} HU (limit ${limit})`);
  }
  assert.equal(seen.size, 15, 'every transfer syntax of the matrix was exercised (CTImage.dcm itself is implicit LE)');
});

test('set C: CT1/CT2 (NEMA WG04 J2KR), 693 head slice and the multi-frame files match the pydicom reference', async (t) => {
  if (!C) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  for (const rel of [
    'cornerstoneWADOImageLoader/CT1_J2KR',
    'cornerstoneWADOImageLoader/CT2_J2KR',
    'pydicom-data/693_J2KR.dcm',
    'pydicom-data/693_UNCR.dcm',
    'pydicom-data/eCT_Supplemental.dcm',
  ]) {
    const s = await importOne(join(C, rel));
    assertMatchesReference(s.volume, reference.singleFiles[rel]!, rel);
  }
  const unci = await importOne(join(C, 'pydicom-data/693_UNCI.dcm'));
  assertMatchesReference(unci.volume, reference.singleFiles['pydicom-data/693_UNCI.dcm']!, '693_UNCI');
});

test('enhanced CT: 2-frame explicit LE and fragmented JPEG extended without offset table become 2-slice volumes', async (t) => {
  if (!C) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const ect = await importOne(join(C, 'pydicom-data/eCT_Supplemental.dcm'));
  // Frame 2 (z −149) sorts before frame 1 (z −159) along the normal [0,0,−1] of IOP [−1,0,0,0,1,0].
  assert.deepEqual([...ect.volume.size], [512, 512, 2]);
  assert.deepEqual([...ect.volume.originLps], [99.5, -301.5, -149]);
  assert.deepEqual([...ect.volume.directionLps], [-1, 0, 0, 0, 1, 0, 0, 0, -1]);
  assert.deepEqual(ect.metadata.frameNumbers, [2, 1]);
  assert.deepEqual(ect.metadata.sopInstanceUids[0], ect.metadata.sopInstanceUids[1]);
  const jpeg = await importOne(join(C, 'cornerstoneWADOImageLoader/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm'));
  const ref = reference.singleFiles['cornerstoneWADOImageLoader/CT0012.fragmented_no_bot_jpeg_baseline.51.dcm']!;
  assert.deepEqual([...jpeg.volume.size], ref.size);
  assert.deepEqual([...jpeg.volume.originLps], ref.originLps);
  assert.deepEqual([...jpeg.volume.spacingMm], ref.spacingMm);
  for (const p of ref.voxels)
    assert.ok(Math.abs(voxel(jpeg.volume, p.ijk) - p.hu) <= 1, `CT0012 HU at ${p.ijk.join(',')}: ${voxel(jpeg.volume, p.ijk)} vs ${p.hu}`);
  assert.ok(Math.abs(huStats(jpeg.volume).mean - ref.mean) < 0.05);
});

test('codec selection: 8-bit JPEG goes to libjpeg-turbo, 12-bit to the pure decoder; every known syntax has a decoder', async (t) => {
  if (!C) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(C, 'cornerstoneWADOImageLoader');
  const frame = (f: string): Uint8Array => {
    const b = readFileSync(join(dir, f));
    const i = b.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
    return new Uint8Array(b.subarray(i));
  };
  assert.equal(jpegSamplePrecision(frame('CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm')), 8);
  assert.equal(jpegSamplePrecision(frame('CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm')), 12);
  for (const uid of [
    '1.2.840.10008.1.2.4.50',
    '1.2.840.10008.1.2.4.51',
    '1.2.840.10008.1.2.4.53',
    '1.2.840.10008.1.2.4.55',
    '1.2.840.10008.1.2.4.57',
    '1.2.840.10008.1.2.4.70',
    '1.2.840.10008.1.2.4.80',
    '1.2.840.10008.1.2.4.81',
    '1.2.840.10008.1.2.4.90',
    '1.2.840.10008.1.2.4.91',
    '1.2.840.10008.1.2.5',
  ]) {
    assert.ok(registry.decoderFor(uid), uid);
  }
});

test('a corrupt codestream is a decode-failed error for that file only', async (t) => {
  if (!C) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(C, 'cornerstoneWADOImageLoader');
  for (const f of [
    'CTImage.dcm_JPEG2000LosslessOnlyTransferSyntax_1.2.840.10008.1.2.4.90.dcm',
    'CTImage.dcm_JPEGLSLosslessTransferSyntax_1.2.840.10008.1.2.4.80.dcm',
    'CTImage.dcm_RLELosslessTransferSyntax_1.2.840.10008.1.2.5.dcm',
    'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm',
    'CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm',
  ]) {
    const bytes = new Uint8Array(readFileSync(join(dir, f)));
    // Overwrite the middle of the compressed stream (keeps the file structure intact).
    const mid = bytes.length - 40000;
    for (let i = 0; i < 2000; i++) bytes[mid + i] = (i * 97) & 0xff;
    const session = new DicomImportSession({ registry });
    await session.addFile(f, bytes);
    const r = session.finish();
    if (r.series.length === 1) {
      // Some codecs decode garbage without noticing; that must still be a full-size slice.
      assert.equal(r.series[0]!.volume.data.length, 512 * 512, f);
    } else {
      assert.equal(r.issues.length, 1, `${f}: ${JSON.stringify(r.issues)}`);
      assert.equal(r.issues[0]!.code, 'decode-failed', `${f}: ${JSON.stringify(r.issues)}`);
    }
  }
  const r = await importDicomFiles([]);
  assert.deepEqual(
    r.issues.map((i) => i.code),
    ['empty'],
  );
});
