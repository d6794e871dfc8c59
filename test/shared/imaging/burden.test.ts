import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import type { Volume } from '../../../shared/domain/volume.ts';

// 4×2×6 grid, voxel 10×10×10 mm = 1 mL. Right lung (1) at i = 0..1, left lung (2) at i = 2..3,
// both on slices k = 0..5 (thirds: k 0–1 lower, 2–3 middle, 4–5 upper).
function setup() {
  const size: [number, number, number] = [4, 2, 6];
  const n = 48;
  const hu = new Int16Array(n).fill(-850);
  const lung = new Uint8Array(n);
  for (let k = 0; k < 6; k++) for (let j = 0; j < 2; j++) for (let i = 0; i < 4; i++) lung[i + j * 4 + k * 8] = i < 2 ? 1 : 2;
  const volume: Volume = { size, spacingMm: [10, 10, 10], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: hu };
  return { volume, lungMap: { ...volume, data: lung }, lesion: new Uint8Array(n), hu };
}

test('no lesions: lung volume, zero burden, null HU fraction', () => {
  const { volume, lungMap } = setup();
  const b = computeBurden(volume, lungMap, null);
  assert.equal(b.lungVolumeMl, 48);
  assert.equal(b.right.lungVolumeMl, 24);
  assert.equal(b.left.lungVolumeMl, 24);
  assert.equal(b.burdenPercent, 0);
  assert.equal(b.highOpacityHuFraction, null);
  assert.equal(b.zones.upper.lungVolumeMl, 16);
  assert.equal(b.zones.middle.lungVolumeMl, 16);
  assert.equal(b.zones.lower.lungVolumeMl, 16);
});

test('exact volumes, percentages, sides, zones and the HU ≥ −200 fraction', () => {
  const { volume, lungMap, lesion, hu } = setup();
  // 3 GGO voxels in the right upper zone (k = 5), 1 high opacity in the left lower zone (k = 0),
  // 1 lesion voxel outside the lung (made outside by clearing its lung label).
  lesion[0 + 0 * 4 + 5 * 8] = 1;
  lesion[1 + 0 * 4 + 5 * 8] = 1;
  lesion[1 + 1 * 4 + 5 * 8] = 1;
  lesion[3 + 1 * 4 + 0 * 8] = 2;
  hu[3 + 1 * 4 + 0 * 8] = 20;
  lungMap.data[2 + 0 * 4 + 3 * 8] = 0;
  lesion[2 + 0 * 4 + 3 * 8] = 1;
  const b = computeBurden(volume, lungMap, lesion);
  assert.equal(b.lungVolumeMl, 47);
  assert.equal(b.ggoVolumeMl, 3);
  assert.equal(b.highOpacityVolumeMl, 1);
  assert.equal(b.lesionVolumeMl, 4);
  assert.ok(Math.abs(b.burdenPercent - (100 * 4) / 47) < 1e-12);
  assert.equal(b.right.ggoVolumeMl, 3);
  assert.equal(b.right.burdenPercent, (100 * 3) / 24);
  assert.equal(b.left.highOpacityVolumeMl, 1);
  assert.equal(b.zones.upper.ggoVolumeMl, 3);
  assert.equal(b.zones.lower.highOpacityVolumeMl, 1);
  assert.equal(b.zonesByLung.left.lower.highOpacityVolumeMl, 1);
  assert.equal(b.zones.middle.lesionVolumeMl, 0);
  assert.equal(b.lesionOutsideLungMl, 1);
  assert.equal(b.highOpacityHuFraction, 25);
});

test('size mismatches are refused', () => {
  const { volume, lungMap } = setup();
  assert.throws(() => computeBurden(volume, lungMap, new Uint8Array(3)), /lesion map/);
});

test('word-wise skipping (aligned maps) gives the same result as voxel-by-voxel (unaligned view)', () => {
  // 8×5×3 = 120 voxels (a multiple of 4), long empty runs so the 4-voxel skip really happens.
  const size: [number, number, number] = [8, 5, 3];
  const n = 120;
  const hu = new Int16Array(n).fill(-850);
  const lung = new Uint8Array(n);
  const fast = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    if (p % 16 >= 10) lung[p] = p % 2 === 0 ? 1 : 2;
    fast[p] = p % 5 === 0 ? 1 : p % 7 === 0 ? 2 : 0;
    if (p % 3 === 0) hu[p] = 10;
  }
  const slow = new Uint8Array(n + 1).subarray(1); // byteOffset 1: the word view is impossible
  slow.set(fast);
  const volume: Volume = { size, spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: hu };
  const a = computeBurden(volume, { ...volume, data: lung }, fast);
  const b = computeBurden(volume, { ...volume, data: lung }, slow);
  assert.deepEqual(a, b);
  let lungN = 0,
    ggo = 0,
    ho = 0,
    outside = 0;
  for (let p = 0; p < n; p++) {
    if (lung[p]) {
      lungN++;
      if (fast[p] === 1) ggo++;
      if (fast[p] === 2) ho++;
    } else if (fast[p]) outside++;
  }
  assert.ok(Math.abs(a.lungVolumeMl * 1000 - lungN) < 1e-9);
  assert.ok(Math.abs(a.ggoVolumeMl * 1000 - ggo) < 1e-9);
  assert.ok(Math.abs(a.highOpacityVolumeMl * 1000 - ho) < 1e-9);
  assert.ok(Math.abs(a.lesionOutsideLungMl * 1000 - outside) < 1e-9);
});
