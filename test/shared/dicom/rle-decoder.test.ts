import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DicomError } from '../../../shared/dicom/dicom-error.ts';
import type { FrameDescription } from '../../../shared/dicom/pixel-decoder.ts';
import { decodeRleFrame } from '../../../shared/dicom/rle-decoder.ts';
import { encodeRleFrame } from './rle-encode.ts';

const frame = (rows: number, columns: number, signed: boolean): FrameDescription => ({
  transferSyntaxUid: '1.2.840.10008.1.2.5',
  rows,
  columns,
  bitsAllocated: 16,
  bitsStored: 16,
  pixelRepresentation: signed ? 1 : 0,
  samplesPerPixel: 1,
});

test('16-bit signed and unsigned frames round-trip through PackBits segments (runs and literals)', () => {
  const px = new Int16Array(300);
  for (let i = 0; i < px.length; i++) px[i] = i < 150 ? -1024 : ((i * 37) % 3000) - 1500;
  const out = decodeRleFrame(encodeRleFrame(px), frame(15, 20, true));
  assert.ok(out instanceof Int16Array);
  assert.deepEqual([...out], [...px]);
  const u = Uint16Array.from([0, 65535, 4095, 4095, 4095, 1]);
  assert.deepEqual([...decodeRleFrame(encodeRleFrame(u), frame(2, 3, false))], [...u]);
});

test('corrupt RLE frames are decode-failed errors', () => {
  const good = encodeRleFrame(new Int16Array(20).fill(7));
  const isFail = (e: unknown): boolean => e instanceof DicomError && e.code === 'decode-failed';
  assert.throws(() => decodeRleFrame(good.subarray(0, 40), frame(4, 5, true)), isFail);
  const wrongCount = good.slice();
  wrongCount[0] = 3;
  assert.throws(() => decodeRleFrame(wrongCount, frame(4, 5, true)), isFail);
  assert.throws(() => decodeRleFrame(good, frame(8, 5, true)), isFail, 'segments too short for the frame');
});
