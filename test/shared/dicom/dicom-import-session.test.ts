import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DicomImportSession } from '../../../shared/dicom/dicom-import-session.ts';
import { jpegDctDecoder } from '../../../shared/dicom/jpeg-dct-decoder.ts';
import { PixelDecoderRegistry } from '../../../shared/dicom/pixel-decoder.ts';
import { rleDecoder } from '../../../shared/dicom/rle-decoder.ts';
import type { ImportResult } from '../../../shared/dicom/types.ts';
import { AIR_HU } from '../../../shared/domain/volume.ts';
import { encodeRleFrame } from './rle-encode.ts';
import { type Attributes, makeCtDicom, ramp, uid } from './make-dicom.ts';

const registry = new PixelDecoderRegistry([rleDecoder, jpegDctDecoder]);
const R = 4;
const C = 5;

async function run(files: [string, Uint8Array][]): Promise<ImportResult> {
  const s = new DicomImportSession({ registry });
  for (const [name, bytes] of files) await s.addFile(name, bytes);
  return s.finish();
}

const slice = (z: number, attrs: Attributes = {}, base = 0): Uint8Array =>
  makeCtDicom(ramp(R, C, base + z), R, C, { ImagePositionPatient: [-10, -20, z], ...attrs });

test('slices given in any order are sorted along the normal; geometry and HU follow the headers', async () => {
  const zs = [6, 0, 4, 2, 8];
  const r = await run(zs.map((z) => [`f${z}.dcm`, slice(z, { RescaleSlope: 0.5, RescaleIntercept: -1024.25, InstanceNumber: 100 - z })]));
  assert.equal(r.series.length, 1);
  const s = r.series[0]!;
  const v = s.volume;
  assert.deepEqual([...v.size], [C, R, 5]);
  assert.deepEqual([...v.spacingMm], [0.75, 0.5, 2]); // PixelSpacing is [row spacing, column spacing]
  assert.deepEqual([...v.originLps], [-10, -20, 0]);
  assert.deepEqual([...v.directionLps], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(s.files, ['f0.dcm', 'f2.dcm', 'f4.dcm', 'f6.dcm', 'f8.dcm']);
  assert.equal(s.metadata.sopInstanceUids.length, 5);
  // voxel (i=col, j=row, k) = round((z + 10·row + col) · 0.5 − 1024.25)
  for (const [i, j, k] of [
    [0, 0, 0],
    [4, 3, 4],
    [2, 1, 3],
  ] as const) {
    const stored = 2 * k + 10 * j + i;
    assert.equal(v.data[i + j * C + k * C * R], Math.round(stored * 0.5 - 1024.25));
  }
  assert.deepEqual(s.issues, []);
});

test('localizers (ImageType LOCALIZER, or a lone slice of another orientation) are skipped with a warning', async () => {
  const r = await run([
    ['a', slice(0)],
    ['b', slice(2)],
    ['c', slice(4)],
    ['scout-flagged', slice(50, { ImageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] })],
    ['scout-coronal', slice(60, { ImageOrientationPatient: [1, 0, 0, 0, 0, -1] })],
  ]);
  assert.equal(r.series.length, 1);
  assert.equal(r.series[0]!.volume.size[2], 3);
  assert.deepEqual(r.issues.map((i) => [i.code, i.file]).sort(), [
    ['localizer', 'scout-coronal'],
    ['localizer', 'scout-flagged'],
  ]);
});

test('missing ImagePositionPatient: ordered by InstanceNumber, spacing from SpacingBetweenSlices, warning', async () => {
  const files: [string, Uint8Array][] = [3, 1, 2].map((n) => [
    `n${n}`,
    makeCtDicom(ramp(R, C, n * 100), R, C, {
      ImagePositionPatient: undefined,
      InstanceNumber: n,
      SpacingBetweenSlices: 1.25,
    }),
  ]);
  const r = await run(files);
  const s = r.series[0]!;
  assert.deepEqual(s.files, ['n1', 'n2', 'n3']);
  assert.equal(s.volume.spacingMm[2], 1.25);
  assert.deepEqual([...s.volume.originLps], [0, 0, 0]);
  assert.deepEqual(
    s.issues.map((i) => i.code),
    ['missing-position'],
  );
});

test('padding value (signed) and HU ≤ −2000 become air; MONOCHROME1 is not inverted', async () => {
  const px = new Int16Array([-1500, -2000, -2500, -1999, 0, 40]);
  const r = await run([['p', makeCtDicom(px, 2, 3, { PixelPaddingValue: -1500, PhotometricInterpretation: 'MONOCHROME1' })]]);
  assert.deepEqual([...r.series[0]!.volume.data], [AIR_HU, AIR_HU, AIR_HU, -1999, 0, 40]);
  assert.deepEqual(
    r.series[0]!.issues.map((i) => i.code),
    ['single-slice'],
  );
});

test('one series UID with two stacks of different orientation gives two series (mixed-series warning)', async () => {
  const axial = [0, 2, 4].map((z): [string, Uint8Array] => [`ax${z}`, slice(z)]);
  const coronal = [0, 3, 6].map((y): [string, Uint8Array] => [
    `co${y}`,
    makeCtDicom(ramp(R, C), R, C, {
      ImageOrientationPatient: [1, 0, 0, 0, 0, -1],
      ImagePositionPatient: [0, y, 0],
    }),
  ]);
  const r = await run([...axial, ...coronal]);
  assert.equal(r.series.length, 2);
  for (const s of r.series) assert.ok(s.issues.some((i) => i.code === 'mixed-series'));
  const cor = r.series.find((s) => s.files[0]!.startsWith('co'))!;
  // normal of [1,0,0]×[0,0,−1] = [0,1,0]: sorted by y ascending, spacing 3.
  assert.deepEqual([...cor.volume.directionLps], [1, 0, 0, 0, 0, -1, 0, 1, 0]);
  assert.equal(cor.volume.spacingMm[2], 3);
});

test('empty series UIDs: grouped by frame of reference, orientation, size and acquisition', async () => {
  const files: [string, Uint8Array][] = [];
  for (const acq of [1, 2])
    for (const z of [0, 2, 4]) files.push([`acq${acq}-${z}`, slice(z, { SeriesInstanceUID: '', AcquisitionNumber: acq })]);
  const r = await run(files);
  assert.equal(r.series.length, 2);
  assert.deepEqual(
    r.series.map((s) => s.volume.size[2]),
    [3, 3],
  );
});

test('uneven spacing keeps the largest evenly spaced run; no two agreeing gaps is an error', async () => {
  const r = await run([0, 2, 4, 6, 9, 12].map((z) => [`z${z}`, slice(z)]));
  const s = r.series[0]!;
  assert.deepEqual(s.files, ['z0', 'z2', 'z4', 'z6']);
  const w = s.issues.find((i) => i.code === 'uneven-spacing')!;
  assert.match(w.message, /2 mm ×3, 3 mm ×2/);
  assert.match(w.message, /4 of 6 slices, dropped 2: z9, z12/);
  const bad = await run([0, 1, 3, 6].map((z) => [`z${z}`, slice(z)]));
  assert.deepEqual(bad.series, []);
  assert.deepEqual(
    bad.issues.map((i) => [i.severity, i.code]),
    [['error', 'uneven-spacing']],
  );
});

test('gantry tilt: the k direction is the measured stacking direction and spacing the 3-D step', async () => {
  const r = await run([0, 1, 2, 3].map((k) => [`t${k}`, makeCtDicom(ramp(R, C), R, C, { ImagePositionPatient: [0, k * 0.5, k * 2] })]));
  const s = r.series[0]!;
  const d = s.volume.directionLps.slice(6);
  const n = Math.hypot(0.5, 2);
  assert.ok(Math.abs(d[1]! - 0.5 / n) < 1e-9 && Math.abs(d[2]! - 2 / n) < 1e-9);
  assert.ok(Math.abs(s.volume.spacingMm[2] - n) < 1e-9);
  assert.match(s.issues.find((i) => i.code === 'gantry-tilt')!.message, / 14° off the image normal/);
});

test('non-CT objects and unsupported images are skipped with the modality / SOP class named', async () => {
  const mr = makeCtDicom(ramp(R, C), R, C, {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.4',
    Modality: 'MR',
  });
  const rgb = makeCtDicom(ramp(R, C), R, C, { PhotometricInterpretation: 'RGB' });
  const r = await run([
    ['mr', mr],
    ['rgb', rgb],
    ['ok', slice(0)],
    ['garbage', new TextEncoder().encode('x'.repeat(300))],
  ]);
  assert.equal(r.series.length, 1);
  const by = new Map(r.issues.map((i) => [i.file, i]));
  assert.match(by.get('mr')!.message, /MR Image \(modality MR\)/);
  assert.equal(by.get('rgb')!.code, 'unsupported');
  assert.equal(by.get('garbage')!.code, 'not-dicom');
});

test('RLE Lossless (encapsulated) decodes to the same volume as native data; a missing codec is reported', async () => {
  const px = ramp(R, C, -1000);
  const rle = makeCtDicom(
    px,
    R,
    C,
    { SOPInstanceUID: uid() },
    {
      transferSyntaxUid: '1.2.840.10008.1.2.5',
      encapsulatedFrames: [encodeRleFrame(px).buffer as ArrayBuffer],
    },
  );
  const a = await run([['rle', rle]]);
  const b = await run([['native', makeCtDicom(px, R, C)]]);
  assert.deepEqual(a.series[0]!.volume.data, b.series[0]!.volume.data);
  const s = new DicomImportSession({ registry: new PixelDecoderRegistry() });
  await s.addFile('rle', rle);
  const r = s.finish();
  assert.deepEqual(
    r.issues.map((i) => [i.severity, i.code]),
    [['error', 'unsupported']],
  );
  assert.match(r.issues[0]!.message, /RLE Lossless/);
});
