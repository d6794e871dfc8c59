// Orientation estimate of real 8-bit slices (MedSeg as the Inf-Net packaging stores them, i.e.
// transposed, and MA20 in display orientation). Reads ../shared/data; skips when it is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeGray8, eightBitToVolume } from '../../../electron/cli/segment-command.ts';
import {
  ALL_ORIENTATIONS,
  estimateSliceOrientation,
  estimateStoredOrientation,
  fromUpright,
  transposeImage,
} from '../../../shared/imaging/slice-orientation.ts';
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

test(
  'MedSeg slices as stored are found transposed, and in display orientation once transposed',
  { skip: !data || !existsSync(medsegDir) ? SHARED_DATA_MISSING : false },
  () => {
    const files = readdirSync(medsegDir)
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => join(medsegDir, f));
    assert.equal(files.length, 50);
    const stored = files.filter((f) => orientationOf(f, false) === 'transposed').length;
    const display = files.filter((f) => orientationOf(f, true) === 'display').length;
    assert.ok(stored >= 47 && display >= 47, `stored → transposed ${stored}/50, display → display ${display}/50`);
  },
);

test(
  'MA20 slices (display orientation) are found in display orientation',
  { skip: !data || !existsSync(ma20Dir) ? SHARED_DATA_MISSING : false },
  () => {
    const files = readdirSync(ma20Dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .filter((_, i) => i % 4 === 0)
      .map((f) => join(ma20Dir, f));
    const display = files.filter((f) => orientationOf(f, false) === 'display').length;
    assert.ok(display / files.length >= 0.95, `display ${display}/${files.length}`);
  },
);

test(
  'real slices stored in each of the 8 orientations: transposed and upside down are found (up to left–right)',
  { skip: !data || !existsSync(ma20Dir) || !existsSync(medsegDir) ? SHARED_DATA_MISSING : false },
  () => {
    // Every MedSeg slice (stored transposed: upright = its transpose) and every 20th MA20 slice (stored upright).
    const uprights: { gray: Uint8Array; cols: number; rows: number }[] = [];
    for (const f of readdirSync(medsegDir).filter((x) => x.endsWith('.jpg'))) {
      const { gray, width, height } = decodeGray8(join(medsegDir, f));
      uprights.push({ gray: transposeImage(gray, width, height), cols: height, rows: width });
    }
    for (const f of readdirSync(ma20Dir)
      .filter((x) => x.endsWith('.png'))
      .sort()
      .filter((_, i) => i % 20 === 0)) {
      const { gray, width, height } = decodeGray8(join(ma20Dir, f));
      uprights.push({ gray, cols: width, rows: height });
    }
    let right = 0,
      n = 0;
    for (const u of uprights)
      for (const o of ALL_ORIENTATIONS) {
        const s = fromUpright(u.gray, u.cols, u.rows, o);
        const est = estimateStoredOrientation(eightBitToVolume(s.data, s.cols, s.rows, -500, 1500).data, s.cols, s.rows).orientation;
        n++;
        if (est.transposed === o.transposed && est.upsideDown === o.upsideDown) right++;
      }
    // measured on all slices by scripts/orientation-confusion.ts: 93.0 % (MedSeg), 91.1 % (MA20)
    assert.ok(right / n >= 0.85, `right up to left–right: ${right}/${n}`);
  },
);
