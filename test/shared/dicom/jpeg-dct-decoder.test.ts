import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DicomError } from '../../../shared/dicom/dicom-error.ts';
import { decodeJpegDct } from '../../../shared/dicom/jpeg-dct-decoder.ts';
import { parseDicom } from '../../../shared/dicom/parse-dicom.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';

const data = sharedDataDir();
const dir = data && join(data, 'dicom-import', 'C_transfer_syntax_matrix_single_slices', 'cornerstoneWADOImageLoader');

function frameOf(file: string): { frame: Uint8Array; slope: number; intercept: number } {
  const p = parseDicom(new Uint8Array(readFileSync(join(dir!, file))));
  assert.ok(p.pixelData?.encapsulated);
  return {
    frame: p.pixelData.items[0]!,
    slope: Number(p.dataset['RescaleSlope']),
    intercept: Number(p.dataset['RescaleIntercept']),
  };
}

test('12-bit extended, spectral-selection and full-progression JPEG decode to the same image, close to the original', (t) => {
  if (!dir) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const orig = parseDicom(new Uint8Array(readFileSync(join(dir, 'CTImage.dcm'))));
  assert.ok(orig.pixelData && !orig.pixelData.encapsulated);
  const o = orig.pixelData.bytes;
  const original = new Int16Array(o.buffer, o.byteOffset, o.byteLength / 2);
  const results = ['4.51', '4.53', '4.55'].map((ts) => {
    const name = {
      '4.51': 'CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm',
      '4.53': 'CTImage.dcm_JPEGProcess6_8TransferSyntax_1.2.840.10008.1.2.4.53.dcm',
      '4.55': 'CTImage.dcm_JPEGProcess10_12TransferSyntax_1.2.840.10008.1.2.4.55.dcm',
    }[ts]!;
    const { frame, slope, intercept } = frameOf(name);
    const img = decodeJpegDct(frame);
    assert.equal(img.precision, 12);
    assert.deepEqual([img.rows, img.columns], [512, 512]);
    let err = 0;
    let n = 0;
    for (let i = 0; i < original.length; i++) {
      const ref = (original[i] as number) - 1024;
      if (ref > -1000) {
        err += Math.abs((img.samples[i] as number) * slope + intercept - ref);
        n++;
      }
    }
    assert.ok(err / n < 6, `${ts}: mean abs error ${(err / n).toFixed(2)} HU`);
    return img.samples;
  });
  // Progressive scans refine to the same coefficients as the sequential file.
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
});

test('8-bit baseline decodes too (greyscale)', (t) => {
  if (!dir) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const img = decodeJpegDct(frameOf('CTImage.dcm_JPEGProcess1TransferSyntax_1.2.840.10008.1.2.4.50.dcm').frame);
  assert.equal(img.precision, 8);
  assert.ok(img.samples instanceof Uint8Array);
});

test('non-JPEG, lossless and truncated streams are clear errors', (t) => {
  assert.throws(
    () => decodeJpegDct(new Uint8Array([1, 2, 3, 4])),
    (e: unknown) => e instanceof DicomError && e.code === 'decode-failed',
  );
  if (!dir) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const lossless = frameOf('CTImage.dcm_JPEGProcess14SV1TransferSyntax_1.2.840.10008.1.2.4.70.dcm').frame;
  assert.throws(
    () => decodeJpegDct(lossless),
    (e: unknown) => e instanceof DicomError && e.code === 'unsupported',
  );
  const cut = frameOf('CTImage.dcm_JPEGProcess2_4TransferSyntax_1.2.840.10008.1.2.4.51.dcm').frame.subarray(0, 300);
  assert.throws(() => decodeJpegDct(cut), DicomError);
});
