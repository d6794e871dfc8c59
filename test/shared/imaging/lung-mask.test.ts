import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { reorientToLps } from '../../../shared/imaging/geometry.ts';
import { lungMask, segmentLungs } from '../../../shared/imaging/lung-mask.ts';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { readNiftiLabels } from '../../../shared/nifti/read-nifti-labels.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'sample-case');
const ct = readNifti(new Uint8Array(readFileSync(join(DIR, 'sample-chest-ct.nii.gz'))));
const truth = readNiftiLabels(new Uint8Array(readFileSync(join(DIR, 'sample-chest-ct-lungs.nii.gz'))));
const lesions = readNiftiLabels(new Uint8Array(readFileSync(join(DIR, 'sample-chest-ct-lesions.nii.gz'))));
const result = segmentLungs(ct);

function dice(a: Uint8Array, b: Uint8Array, label?: number): number {
  let inter = 0;
  let na = 0;
  let nb = 0;
  for (let p = 0; p < a.length; p++) {
    const x = label === undefined ? a[p] !== 0 : a[p] === label;
    const y = label === undefined ? b[p] !== 0 : b[p] === label;
    if (x) na++;
    if (y) nb++;
    if (x && y) inter++;
  }
  return (2 * inter) / (na + nb);
}

test('phantom: Dice ≥ 0.95 against the lung truth, overall and per side', () => {
  const m = result.labels.data;
  const d = dice(m, truth.data);
  assert.ok(d >= 0.95, `Dice ${d.toFixed(4)}`);
  for (const side of [1, 2]) {
    const ds = dice(m, truth.data, side);
    assert.ok(ds >= 0.95, `side ${side} Dice ${ds.toFixed(4)}`);
  }
  assert.deepEqual(result.warnings, []);
  const truthMl = (truth.data.reduce((s, l) => s + (l ? 1 : 0), 0) * 1.4 * 1.4 * 2.5) / 1000;
  const ml = result.rightVolumeMl + result.leftVolumeMl;
  assert.ok(Math.abs(ml - truthMl) / truthMl < 0.03, `volume ${ml.toFixed(0)} mL vs truth ${truthMl.toFixed(0)} mL`);
});

test('phantom: patient right (LPS −x, low i) is label 1', () => {
  const [nx] = ct.size;
  let rightLow = 0;
  let right = 0;
  result.labels.data.forEach((l, p) => {
    if (l !== 1) return;
    right++;
    if (p % nx < nx / 2) rightLow++;
  });
  assert.equal(rightLow, right);
});

test('phantom: the consolidation touching the pleura and the dependent effusion are kept', () => {
  const [nx] = ct.size;
  let cons = 0;
  let consIn = 0;
  let eff = 0;
  let effIn = 0;
  let ggo = 0;
  let ggoIn = 0;
  for (let p = 0; p < lesions.data.length; p++) {
    const l = lesions.data[p];
    const inMask = result.labels.data[p] !== 0;
    if (l === 1) {
      ggo++;
      if (inMask) ggoIn++;
    } else if (l === 2) {
      // the consolidation is in the left lung (high i), the effusion in the right
      if (p % nx >= nx / 2) {
        cons++;
        if (inMask) consIn++;
      } else {
        eff++;
        if (inMask) effIn++;
      }
    }
  }
  assert.ok(consIn / cons >= 0.9, `consolidation kept ${(consIn / cons).toFixed(3)}`);
  // the deepest recess (no lung left in those slices) is only partly recovered: see pleural-enclosure.ts
  assert.ok(effIn / eff >= 0.6, `effusion kept ${(effIn / eff).toFixed(3)}`);
  assert.ok(ggoIn / ggo >= 0.98, `GGO kept ${(ggoIn / ggo).toFixed(3)}`);
});

test('phantom: trachea, main bronchi and stomach gas are not lung', () => {
  const [nx, ny, nz] = ct.size;
  // no lung voxel in slices above the truth's apices (only the trachea is there)
  let topTruth = 0;
  for (let k = 0; k < nz; k++) for (let q = k * nx * ny; q < (k + 1) * nx * ny; q++) if (truth.data[q]) topTruth = k;
  for (let k = topTruth + 1; k < nz; k++) {
    for (let q = k * nx * ny; q < (k + 1) * nx * ny; q++) assert.equal(result.labels.data[q], 0, `slice ${k}`);
  }
  // air (< −900 HU) labelled lung where the truth has no lung: trachea, bronchi, stomach gas
  let wrongAir = 0;
  for (let p = 0; p < ct.data.length; p++) if (result.labels.data[p] && !truth.data[p] && (ct.data[p] as number) < -900) wrongAir++;
  const ml = (wrongAir * 1.4 * 1.4 * 2.5) / 1000;
  assert.ok(ml < 2, `${ml.toFixed(1)} mL of non-lung air labelled lung`);
  assert.ok(result.centralAirwayVolumeMl > 10, `central airways found: ${result.centralAirwayVolumeMl.toFixed(1)} mL`);
});

test('a RAS-stored copy gives the same mask on its own grid (reoriented internally)', () => {
  // flip i and j: what a NIfTI in RAS voxel order looks like
  const [nx, ny, nz] = ct.size;
  const data = new Int16Array(ct.data.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) data[nx - 1 - i + (ny - 1 - j) * nx + k * nx * ny] = ct.data[i + j * nx + k * nx * ny] as number;
  const ras: Volume = {
    ...ct,
    data,
    originLps: [ct.originLps[0] + (nx - 1) * ct.spacingMm[0], ct.originLps[1] + (ny - 1) * ct.spacingMm[1], ct.originLps[2]],
    directionLps: [-1, 0, 0, 0, -1, 0, 0, 0, 1],
  };
  const m: LabelMap = lungMask(ras);
  assert.deepEqual([...m.size], [...ras.size]);
  assert.deepEqual([...m.directionLps], [...ras.directionLps]);
  assert.deepEqual(reorientToLps(m).data, result.labels.data);
});

test('no body or no lungs: an empty mask and a warning, no crash', () => {
  const geo = {
    size: [24, 24, 6] as const,
    spacingMm: [2, 2, 3] as const,
    originLps: [0, 0, 0] as const,
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
  };
  const air: Volume = { ...geo, data: new Int16Array(24 * 24 * 6).fill(-1000) };
  const a = segmentLungs(air);
  assert.equal(
    a.labels.data.every((l) => l === 0),
    true,
  );
  assert.match(a.warnings.join(' '), /no body/);
  const solid = new Int16Array(24 * 24 * 6).fill(-1000);
  for (let k = 0; k < 6; k++) for (let j = 4; j < 20; j++) for (let i = 4; i < 20; i++) solid[i + j * 24 + k * 576] = 40;
  const b = segmentLungs({ ...geo, data: solid });
  assert.equal(
    b.labels.data.every((l) => l === 0),
    true,
  );
  assert.match(b.warnings.join(' '), /no air-filled lung/);
});
