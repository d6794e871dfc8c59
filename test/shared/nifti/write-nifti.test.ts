import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'fflate';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Mat3, Volume } from '../../../shared/domain/volume.ts';
import { NiftiError } from '../../../shared/nifti/nifti-error.ts';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { readNiftiLabels } from '../../../shared/nifti/read-nifti-labels.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { mulberry32 } from '../../../shared/util/mulberry32.ts';

const rng = mulberry32;

/** Rotation 30° about z then 20° about x, optionally with the k axis reversed (det −1). */
function obliqueDirection(flipK: boolean): Mat3 {
  const cz = Math.cos(Math.PI / 6);
  const sz = Math.sin(Math.PI / 6);
  const cx = Math.cos(Math.PI / 9);
  const sx = Math.sin(Math.PI / 9);
  // columns of Rx·Rz
  const c0 = [cz, cx * sz, sx * sz];
  const c1 = [-sz, cx * cz, sx * cz];
  const c2 = [0, -sx, cx].map((v) => (flipK ? -v : v));
  return [...c0, ...c1, ...c2] as unknown as Mat3;
}

function makeVolume(flipK: boolean): Volume {
  const size = [13, 11, 7] as const;
  const r = rng(7);
  const data = new Int16Array(size[0] * size[1] * size[2]);
  for (let p = 0; p < data.length; p++) data[p] = Math.floor(r() * 65536) - 32768;
  data[0] = -32768;
  data[1] = 32767;
  return {
    size,
    spacingMm: [0.703125, 0.8, 2.5],
    originLps: [-180.25, -95.5, -310.75],
    directionLps: obliqueDirection(flipK),
    data,
  };
}

function assertGeometryClose(a: Omit<Volume, 'data'>, b: Omit<Volume, 'data'>, tol = 1e-4): void {
  assert.deepEqual([...a.size], [...b.size]);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(a.spacingMm[c]! - b.spacingMm[c]!) < 1e-6, `spacing ${c}`);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(a.originLps[c]! - b.originLps[c]!) < tol, `origin ${c}`);
  for (let c = 0; c < 9; c++) assert.ok(Math.abs(a.directionLps[c]! - b.directionLps[c]!) < 1e-6, `direction ${c}`);
}

for (const flipK of [false, true]) {
  test(`round trip of an oblique int16 volume is exact in voxels (det ${flipK ? '−1' : '+1'})`, () => {
    const v = makeVolume(flipK);
    const back = readNifti(writeNifti(v), { paddingBelowHu: -Infinity });
    assert.deepEqual(back.data, v.data);
    assertGeometryClose(back, v);
  });
}

test('sform and qform hold the same affine: reading with either gives the same geometry', () => {
  const v = makeVolume(true);
  const raw = gunzipSync(writeNifti(v));
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  assert.equal(dv.getInt16(252, true), 1, 'qform_code');
  assert.equal(dv.getInt16(254, true), 1, 'sform_code');
  assert.equal(dv.getFloat32(76, true), -1, 'qfac = -1 for a left-handed grid');
  const viaSform = readNifti(raw, { paddingBelowHu: -Infinity });
  dv.setInt16(254, 0, true); // drop the sform: the qform is used
  const viaQform = readNifti(raw, { paddingBelowHu: -Infinity });
  assertGeometryClose(viaQform, viaSform, 1e-4);
  assertGeometryClose(viaQform, v, 1e-4);
});

test('label map round trip (uint8, intent label), uncompressed and gzip', () => {
  const v = makeVolume(false);
  const data = new Uint8Array(v.data.length);
  for (let p = 0; p < data.length; p++) data[p] = (v.data[p]! & 0xff) % 3;
  data[5] = 255;
  const labels: LabelMap = { ...v, data };
  for (const gzip of [true, false]) {
    const bytes = writeNifti(labels, { gzip });
    assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, gzip);
    const back = readNiftiLabels(bytes);
    assert.deepEqual(back.data, labels.data);
    assertGeometryClose(back, labels);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!gzip) {
      assert.equal(dv.getInt16(70, true), 2, 'DT_UINT8');
      assert.equal(dv.getInt16(68, true), 1002, 'NIFTI_INTENT_LABEL');
    }
  }
});

test('output is deterministic (gzip mtime 0) and the description is stored', () => {
  const v = makeVolume(false);
  const a = writeNifti(v, { description: 'Lung Burden test' });
  const b = writeNifti(v, { description: 'Lung Burden test' });
  assert.deepEqual(a, b);
  const raw = gunzipSync(a);
  assert.equal(new TextDecoder().decode(raw.subarray(148, 148 + 16)), 'Lung Burden test');
});

test('padding below −1500 HU becomes air (−1024) by default', () => {
  const v = makeVolume(false);
  const data = new Int16Array(v.data.length).fill(-500);
  data[3] = -3024;
  data[4] = -2048;
  data[5] = -1100;
  const back = readNifti(writeNifti({ ...v, data }));
  assert.deepEqual([back.data[3], back.data[4], back.data[5], back.data[6]], [-1024, -1024, -1100, -500]);
});

// ---- bad input ----------------------------------------------------------------------------

function rawFile(v: Volume): Uint8Array {
  return writeNifti(v, { gzip: false });
}

function smallVolume(): Volume {
  return {
    size: [4, 4, 4],
    spacingMm: [1, 1, 1],
    originLps: [0, 0, 0],
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data: new Int16Array(64).fill(7),
  };
}

function assertNiftiError(fn: () => unknown, code: string, re?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NiftiError, `expected NiftiError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

test('truncated files: .nii, .nii.gz, header only, empty', () => {
  const raw = rawFile(smallVolume());
  assertNiftiError(() => readNifti(raw.subarray(0, raw.length - 10)), 'truncated');
  assertNiftiError(() => readNifti(raw.subarray(0, 200)), 'truncated');
  assertNiftiError(() => readNifti(new Uint8Array(0)), 'truncated');
  const gz = writeNifti(smallVolume());
  assertNiftiError(() => readNifti(gz.subarray(0, Math.floor(gz.length / 2))), 'truncated');
  const headerOnly = gzipSync(raw.subarray(0, 352));
  assertNiftiError(() => readNifti(headerOnly), 'truncated');
});

test('not NIfTI: random bytes, gzip of random bytes, .hdr/.img pair magic', () => {
  const r = rng(3);
  const junk = new Uint8Array(1000).map(() => Math.floor(r() * 256));
  junk[0] = 1;
  assertNiftiError(() => readNifti(junk), 'not-nifti');
  assertNiftiError(() => readNifti(gzipSync(junk)), 'not-nifti');
  const raw = rawFile(smallVolume());
  raw.set([0x6e, 0x69, 0x31, 0], 344); // "ni1"
  assertNiftiError(() => readNifti(raw), 'unsupported', /\.hdr\/\.img/);
});

test('4-D with t > 1 is rejected; t = 1 is accepted', () => {
  const v = smallVolume();
  const raw = rawFile(v);
  const file = new Uint8Array(raw.length + 128);
  file.set(raw);
  const dv = new DataView(file.buffer);
  dv.setInt16(40, 4, true);
  dv.setInt16(48, 2, true);
  assertNiftiError(() => readNifti(file), 'bad-dims', /dim\[4\] = 2/);
  dv.setInt16(48, 1, true);
  assert.equal(readNifti(file).data.length, 64);
});

test('bad dims and unsupported datatypes', () => {
  const raw = rawFile(smallVolume());
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  dv.setInt16(42, 0, true);
  assertNiftiError(() => readNifti(raw), 'bad-dims');
  dv.setInt16(42, 4, true);
  dv.setInt16(70, 128, true); // RGB24
  dv.setInt16(72, 24, true);
  assertNiftiError(() => readNifti(raw), 'unsupported', /datatype 128/);
});

function float32File(values: number[]): Uint8Array {
  const v = smallVolume();
  const raw = rawFile(v);
  const file = new Uint8Array(352 + 64 * 4);
  file.set(raw.subarray(0, 352));
  const dv = new DataView(file.buffer);
  dv.setInt16(70, 16, true);
  dv.setInt16(72, 32, true);
  for (let p = 0; p < 64; p++) dv.setFloat32(352 + 4 * p, values[p % values.length]!, true);
  return file;
}

test('NaN and Inf voxels give a non-finite error (image and labels)', () => {
  assert.equal(readNifti(float32File([-1000.4, 40.6])).data[1], 41);
  assertNiftiError(() => readNifti(float32File([1, Number.NaN])), 'non-finite');
  assertNiftiError(() => readNifti(float32File([1, Number.POSITIVE_INFINITY])), 'non-finite');
  assertNiftiError(() => readNiftiLabels(float32File([1, Number.NEGATIVE_INFINITY])), 'non-finite');
  assertNiftiError(() => readNiftiLabels(float32File([1, 2.5])), 'label-range');
  assertNiftiError(() => readNiftiLabels(float32File([1, 256])), 'label-range');
});

test('gzip bomb: inflation stops at the size the header declares', () => {
  const raw = rawFile(smallVolume());
  // A valid 4×4×4 header + data, then 256 more gzip members of 1 MiB of zeros each: 256 MiB once
  // inflated, about 260 kB compressed (a multi-member gzip is still one valid .gz file).
  const head = gzipSync(raw);
  const zeros = gzipSync(new Uint8Array(1 << 20), { level: 9 });
  const gz = new Uint8Array(head.length + 256 * zeros.length);
  gz.set(head);
  for (let m = 0; m < 256; m++) gz.set(zeros, head.length + m * zeros.length);
  assert.ok(gz.length < 1_000_000);
  const v = readNifti(gz);
  assert.equal(v.data.length, 64);
  assert.equal(v.data[63], 7);
});

test('header claiming a huge image is rejected before allocating', () => {
  const raw = rawFile(smallVolume());
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  dv.setInt16(42, 30000, true);
  dv.setInt16(44, 30000, true);
  dv.setInt16(46, 30000, true);
  assertNiftiError(() => readNifti(gzipSync(raw)), 'too-large');
  dv.setInt16(42, 512, true);
  dv.setInt16(44, 512, true);
  dv.setInt16(46, 300, true);
  assertNiftiError(() => readNifti(raw, { maxVoxels: 1_000_000 }), 'too-large');
});

test('sheared sform without qform is rejected; zero voxel size is rejected', () => {
  const raw = rawFile(smallVolume());
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  dv.setInt16(252, 0, true); // no qform
  dv.setFloat32(280 + 4, 0.5, true); // srow_x[1]: j gets an x component → shear
  assertNiftiError(() => readNifti(raw), 'bad-geometry', /sheared/);
  dv.setFloat32(280 + 4, 0, true);
  dv.setFloat32(280, 0, true); // i column becomes zero
  assertNiftiError(() => readNifti(raw), 'bad-geometry');
});

test('writer rejects a data length that does not match the size', () => {
  const v = smallVolume();
  assertNiftiError(() => writeNifti({ ...v, data: new Int16Array(10) }), 'bad-input');
  assertNiftiError(() => writeNifti({ ...v, spacingMm: [0, 1, 1] }), 'bad-geometry');
});
