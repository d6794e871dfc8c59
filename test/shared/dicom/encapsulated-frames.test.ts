import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DicomError } from '../../../shared/dicom/dicom-error.ts';
import { encapsulatedFrames } from '../../../shared/dicom/encapsulated-frames.ts';

const soi = (...rest: number[]): Uint8Array => new Uint8Array([0xff, 0xd8, ...rest]);
const frag = (...b: number[]): Uint8Array => new Uint8Array(b);

test('one item per frame, all fragments of a single frame joined', () => {
  assert.equal(encapsulatedFrames([soi(1), soi(2)], 2, 'jpeg-dct').length, 2);
  assert.deepEqual([...encapsulatedFrames([soi(1), frag(2, 3)], 1, 'jpeg-dct')[0]!], [0xff, 0xd8, 1, 2, 3]);
});

test('no offset table: fragments grouped at start-of-image markers (JPEG SOI, J2K SOC)', () => {
  const f = encapsulatedFrames([soi(1), frag(2), frag(3), soi(4), frag(5)], 2, 'jpeg-dct');
  assert.deepEqual(
    f.map((x) => [...x]),
    [
      [0xff, 0xd8, 1, 2, 3],
      [0xff, 0xd8, 4, 5],
    ],
  );
  const soc = (n: number): Uint8Array => new Uint8Array([0xff, 0x4f, 0xff, 0x51, n]);
  assert.deepEqual(
    encapsulatedFrames([soc(1), frag(9), soc(2)], 2, 'jpeg-2000').map((x) => x.length),
    [6, 5],
  );
});

test('extended offset table groups fragments by item offsets', () => {
  // items: a (len 2) at 0, b (len 1) at 10, c (len 2) at 19; frames start at 0 and 19.
  const f = encapsulatedFrames([frag(1, 2), frag(3), frag(4, 5)], 2, 'rle', [0, 19]);
  assert.deepEqual(
    f.map((x) => [...x]),
    [
      [1, 2, 3],
      [4, 5],
    ],
  );
});

test('unsplittable fragments are a malformed error', () => {
  assert.throws(
    () => encapsulatedFrames([frag(1), frag(2), frag(3)], 2, 'jpeg-dct'),
    (e: unknown) => e instanceof DicomError && e.code === 'malformed',
  );
  assert.throws(() => encapsulatedFrames([soi(1)], 2, 'jpeg-dct'), DicomError);
  assert.throws(() => encapsulatedFrames([], 1, 'jpeg-dct'), DicomError);
});
