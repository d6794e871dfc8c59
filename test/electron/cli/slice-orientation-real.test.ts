// Orientation estimate of real 8-bit slices (MedSeg as the Inf-Net packaging stores them, i.e.
// transposed, and MA20 in display orientation). Reads ../shared/data; skips when it is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGray8, eightBitToVolume } from '../../../electron/cli/segment-command.ts';
import { estimateSliceOrientation, transposeImage } from '../../../shared/imaging/slice-orientation.ts';
import { SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';

const data = sharedDataDir();
const medsegDir = data ? join(data, 'medseg-slices', 'MultiClassInfection-Train', 'Imgs') : '';
const ma20Dir = data ? join(data, 'ma20-slices', 'ct') : '';

function orientationOf(file: string, transpose: boolean) {
  const { gray, width, height } = decodeGray8(file);
  const g = transpose ? transposeImage(gray, width, height) : gray;
  const [cols, rows] = transpose ? [height, width] : [width, height];
  return estimateSliceOrientation(eightBitToVolume(g, cols, rows, -500, 1500).data, cols, rows).orientation;
}

test('MedSeg slices as stored are found transposed, and in display orientation once transposed', { skip: !data || !existsSync(medsegDir) ? SHARED_DATA_MISSING : false }, () => {
  const files = readdirSync(medsegDir).filter((f) => f.endsWith('.jpg')).map((f) => join(medsegDir, f));
  assert.equal(files.length, 50);
  const stored = files.filter((f) => orientationOf(f, false) === 'transposed').length;
  const display = files.filter((f) => orientationOf(f, true) === 'display').length;
  assert.ok(stored >= 47 && display >= 47, `stored → transposed ${stored}/50, display → display ${display}/50`);
});

test('MA20 slices (display orientation) are found in display orientation', { skip: !data || !existsSync(ma20Dir) ? SHARED_DATA_MISSING : false }, () => {
  const files = readdirSync(ma20Dir).filter((f) => f.endsWith('.png')).sort().filter((_, i) => i % 4 === 0).map((f) => join(ma20Dir, f));
  const display = files.filter((f) => orientationOf(f, false) === 'display').length;
  assert.ok(display / files.length >= 0.95, `display ${display}/${files.length}`);
});
