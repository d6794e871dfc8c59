import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import { eraseStroke, paintStroke } from '../../../shared/imaging/mask-tools/brush.ts';
import { applyPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import type { Volume, VolumeGeometry } from '../../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [40, 30, 24], spacingMm: [1.5, 1.5, 3], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const n = 40 * 30 * 24;
/** HU values spanning both sides of the −200 HU threshold (for the HU-based figure). */
const hu = new Int16Array(n).map((_, q) => ((q * 37) % 1400) - 1000);
const vol: Volume = { ...g, data: hu };

/** Right lung i < 20, left lung i ≥ 20, slices 2..21; a few lesion voxels. */
function fixture(): { lung: Uint8Array; lesion: Uint8Array } {
  const lung = new Uint8Array(n);
  const lesion = new Uint8Array(n);
  for (let k = 2; k < 22; k++) for (let j = 5; j < 25; j++) for (let i = 3; i < 37; i++) lung[i + j * 40 + k * 1200] = i < 20 ? 1 : 2;
  for (let q = 0; q < n; q += 97) if (lung[q]) lesion[q] = (q % 2) + 1;
  lesion[0] = 1; // outside the lungs
  return { lung, lesion };
}

test('incremental updates from patches equal a full recount (edit, undo, redo)', () => {
  const { lung, lesion } = fixture();
  const tally = new BurdenTally(vol, lung, lesion);
  const labels = { ...g, data: lesion };
  const patch = paintStroke(
    labels,
    {
      frame: 'ijk',
      points: [
        [10, 12, 8],
        [30, 14, 8],
      ],
    },
    { value: 2, radiusMm: 6, shape: 'sphere' },
  );
  assert.ok(patch.indices.length > 100);
  tally.applyPatch(patch, 'forward');
  assert.deepEqual(tally.figures(), new BurdenTally(vol, lung, lesion).figures());
  applyPatch(lesion, patch, 'backward');
  tally.applyPatch(patch, 'backward');
  assert.deepEqual(tally.figures(), new BurdenTally(vol, lung, fixture().lesion).figures());
});

test('figures: volumes in mL, % of lung, sides and craniocaudal zones', () => {
  const { lung, lesion } = fixture();
  const f = new BurdenTally(vol, lung, lesion).figures();
  const voxelMl = (1.5 * 1.5 * 3) / 1000;
  let lungVox = 0;
  let ggo = 0;
  for (let q = 0; q < n; q++) {
    if (lung[q]) lungVox++;
    if (lesion[q] === 1 && lung[q]) ggo++;
  }
  assert.ok(Math.abs(f.lungMl - lungVox * voxelMl) < 1e-9);
  assert.ok(Math.abs(f.ggoMl - ggo * voxelMl) < 1e-9);
  assert.ok(Math.abs(f.totalPercent! - (f.totalMl / f.lungMl) * 100) < 1e-9);
  assert.ok(Math.abs(f.outsideLungMl - voxelMl) < 1e-12);
  const right = f.regions.filter((r) => r.side === 'right' && r.zone !== 'all');
  assert.equal(right.length, 3);
  // Zones split the 20 lung slices into thirds; each holds lung.
  for (const r of right) assert.ok(r.lungMl > 0);
  const all = f.regions.find((r) => r.side === 'right' && r.zone === 'all')!;
  assert.ok(Math.abs(all.lungMl - right.reduce((a, r) => a + r.lungMl, 0)) < 1e-9);
  // Superior is +k here, so the upper zone holds the highest slices.
  const t2 = new BurdenTally(vol, lung, new Uint8Array(n));
  // One GGO voxel on slice 20 (near the top of the lung).
  t2.applyPatch(
    { indices: new Uint32Array([10 + 10 * 40 + 20 * 1200]), before: new Uint8Array([0]), after: new Uint8Array([1]) },
    'forward',
  );
  const upper = t2.figures().regions.find((r) => r.side === 'right' && r.zone === 'upper')!;
  assert.ok(upper.lesionMl > 0, 'a lesion voxel on a top slice counts in the upper zone');
});

test('no lung mask: volumes without percentages', () => {
  const { lesion } = fixture();
  const f = new BurdenTally(vol, null, lesion).figures();
  assert.equal(f.lungMl, 0);
  assert.equal(f.totalPercent, null);
  assert.ok(f.ggoMl > 0);
});

test('live and stored burden agree exactly (same function), before and after edits, undo and redo', () => {
  const { lung, lesion } = fixture();
  // a lung label other than 1/2 (counted in the total lung, in neither side) must agree too
  lung[5 + 10 * 40 + 10 * 1200] = 3;
  const lungMap = { ...g, data: lung };
  const tally = new BurdenTally(vol, lung, lesion);
  const labels = { ...g, data: lesion };
  const check = (): void => assert.deepEqual(tally.result(), computeBurden(vol, lungMap, lesion));
  check();
  const p1 = paintStroke(
    labels,
    {
      frame: 'ijk',
      points: [
        [2, 3, 1],
        [25, 20, 12],
      ],
    },
    { value: 1, radiusMm: 5, shape: 'sphere' },
  );
  tally.applyPatch(p1, 'forward');
  check();
  const p2 = paintStroke(labels, { frame: 'ijk', points: [[20, 15, 18]] }, { value: 2, radiusMm: 8, shape: 'sphere' });
  tally.applyPatch(p2, 'forward');
  check();
  const p3 = paintStroke(
    labels,
    {
      frame: 'ijk',
      points: [
        [8, 8, 4],
        [9, 20, 15],
      ],
    },
    { value: 0, radiusMm: 4, shape: 'sphere' },
  );
  tally.applyPatch(p3, 'forward');
  check();
  applyPatch(lesion, p2, 'backward');
  tally.applyPatch(p2, 'backward');
  check();
  applyPatch(lesion, p2, 'forward');
  tally.applyPatch(p2, 'forward');
  check();
  // the review screen's figures are derived from that same result
  const f = tally.figures();
  const r = computeBurden(vol, lungMap, lesion);
  assert.equal(f.totalPercent, r.burdenPercent);
  assert.equal(f.ggoMl, r.ggoVolumeMl);
  assert.equal(f.outsideLungMl, r.lesionOutsideLungMl);
});

test('lung-mask patches (the reader correcting the denominator) equal a full recount (erase, paint, undo)', () => {
  const { lung, lesion } = fixture();
  const tally = new BurdenTally(vol, lung, lesion);
  const lungMap = { ...g, data: lung };
  // erase part of the right lung (lesion voxels there move outside the lung), then paint left lung over the rest
  const erase = eraseStroke(
    lungMap,
    {
      frame: 'ijk',
      points: [
        [8, 10, 6],
        [16, 18, 12],
      ],
    },
    { radiusMm: 6, shape: 'sphere' },
  );
  assert.ok(erase.indices.length > 100);
  tally.applyLungPatch(erase, 'forward', lesion);
  assert.deepEqual(tally.figures(), new BurdenTally(vol, lung, lesion).figures());
  assert.ok(tally.figures().lungMl < new BurdenTally(vol, fixture().lung, lesion).figures().lungMl);
  const paint = paintStroke(
    lungMap,
    {
      frame: 'ijk',
      points: [
        [18, 15, 10],
        [18, 15, 16],
      ],
    },
    { value: 2, radiusMm: 5, shape: 'sphere' },
  );
  tally.applyLungPatch(paint, 'forward', lesion);
  assert.deepEqual(tally.figures(), new BurdenTally(vol, lung, lesion).figures());
  applyPatch(lung, paint, 'backward');
  tally.applyLungPatch(paint, 'backward', lesion);
  applyPatch(lung, erase, 'backward');
  tally.applyLungPatch(erase, 'backward', lesion);
  assert.deepEqual(tally.figures(), new BurdenTally(vol, fixture().lung, lesion).figures());
});
