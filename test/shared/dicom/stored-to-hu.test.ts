import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type HuMapping, storedToHu } from '../../../shared/dicom/stored-to-hu.ts';

const base: HuMapping = {
  rescaleSlope: 1,
  rescaleIntercept: 0,
  bitsStored: 16,
  pixelRepresentation: 1,
  pixelPaddingValue: null,
  pixelPaddingRangeLimit: null,
  paddingAtOrBelowHu: -2000,
};
const hu = (stored: number[], m: Partial<HuMapping>, T: typeof Int16Array | typeof Uint16Array = Int16Array): number[] => {
  const out = new Int16Array(stored.length);
  storedToHu(T.from(stored), out, { ...base, ...m });
  return [...out];
};

test('slope and intercept, rounded; clamped to Int16', () => {
  assert.deepEqual(hu([0, 1, 3], { rescaleSlope: 0.5, rescaleIntercept: -1024.25 }), [-1024, -1024, -1023]);
  assert.deepEqual(hu([0, 65535], { rescaleSlope: 1, rescaleIntercept: -1024, pixelRepresentation: 0 }, Uint16Array), [-1024, 32767]);
  assert.deepEqual(hu([32767], { rescaleSlope: 2 }), [32767]);
});

test('padding: the Pixel Padding Value / range and HU at or below −2000 become −1024', () => {
  assert.deepEqual(hu([-2000, -1999, -3024, 5], { paddingAtOrBelowHu: -2000 }), [-1024, -1999, -1024, 5]);
  assert.deepEqual(
    hu([63536, 0, 100], { pixelRepresentation: 0, rescaleIntercept: -1024, pixelPaddingValue: 63536 }, Uint16Array),
    [-1024, -1024, -924],
  );
  assert.deepEqual(hu([10, 20, 30, 40], { pixelPaddingValue: 30, pixelPaddingRangeLimit: 15 }), [10, -1024, -1024, 40]);
});

test('signed data stored as BitsStored-bit patterns is sign-extended; genuine 16-bit values are kept', () => {
  // 12-bit two's complement: 0xFFF = −1, 0x800 = −2048, 0x7FF = 2047.
  assert.deepEqual(hu([0xfff, 0x800, 0x7ff, 0], { bitsStored: 12, paddingAtOrBelowHu: -32768 }), [-1, -2048, 2047, 0]);
  // Already negative values (a 16-bit container with BitsStored 12 declared) are not touched.
  assert.deepEqual(hu([-3024, 2000, 100], { bitsStored: 12, paddingAtOrBelowHu: -32768 }), [-3024, 2000, 100]);
});
