import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Vec3 } from '../../../../shared/domain/volume.ts';
import { paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import { applyPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import { paintThresholdStroke } from '../../../../shared/imaging/mask-tools/threshold-brush.ts';
import { countLabel, labelMapOf, volumeOn } from './support.ts';

test('threshold brush paints exactly the covered voxels whose HU is in range (inclusive)', () => {
  const map = labelMapOf([30, 30, 10], [0.7, 0.7, 1.5]);
  // HU rises along i: −1024 + 40·i, so [−750, −400] holds i = 7..15 (−744 … −424).
  const volume = volumeOn(map, (i) => -1024 + 40 * i);
  const stroke = {
    frame: 'ijk' as const,
    points: [
      [4, 15, 5],
      [26, 15, 5],
    ] as Vec3[],
  };
  const options = { value: 1, radiusMm: 4, shape: 'sphere' as const };

  const reference = labelMapOf(map.size, map.spacingMm);
  const covered = paintStroke(reference, stroke, options);
  const expected = [...covered.indices].filter((x) => {
    const h = volume.data[x]!;
    return h >= -750 && h <= -400;
  });
  const patch = paintThresholdStroke(map, volume, stroke, {
    ...options,
    huRange: { minHu: -750, maxHu: -400 },
  });
  assert.deepEqual([...patch.indices], expected);
  assert.ok(expected.length > 100);
  for (const x of patch.indices) {
    const i = x % 30;
    assert.ok(i >= 7 && i <= 15, `voxel at i=${i} is in range`);
  }

  // Inclusive bounds: a range of exactly one HU value paints that column only.
  const exact = labelMapOf(map.size, map.spacingMm);
  const one = paintThresholdStroke(exact, volume, stroke, {
    ...options,
    huRange: { minHu: -624, maxHu: -624 },
  });
  assert.ok(one.indices.length > 0 && [...one.indices].every((x) => x % 30 === 10));

  // Air (−1024) can be selected, unlike OHIF's −1000 floor.
  const air = labelMapOf(map.size, map.spacingMm);
  const pAir = paintThresholdStroke(
    air,
    volume,
    { frame: 'ijk', points: [[0, 15, 5]] },
    { ...options, huRange: { minHu: -1024, maxHu: -1024 } },
  );
  assert.ok(pAir.indices.length > 0 && [...pAir.indices].every((x) => x % 30 === 0));

  applyPatch(map.data, patch, 'backward');
  assert.equal(countLabel(map.data, 0), map.data.length);
});

test('threshold eraser removes only in-range voxels of the editable class', () => {
  const map = labelMapOf([20, 20, 4]);
  map.data.fill(1);
  const volume = volumeOn(map, (i) => (i < 10 ? -800 : -100));
  const patch = paintThresholdStroke(
    map,
    volume,
    { frame: 'ijk', points: [[10, 10, 2]] },
    {
      value: 0,
      radiusMm: 6,
      shape: 'circle',
      plane: 'axial',
      overwrite: 'only-class-1',
      huRange: { minHu: -1000, maxHu: -500 },
    },
  );
  assert.ok(patch.indices.length > 0);
  for (const x of patch.indices) assert.ok(x % 20 < 10);
});

test('threshold brush rejects a reversed range and a volume on another grid', () => {
  const map = labelMapOf([6, 6, 6]);
  const volume = volumeOn(map, () => 0);
  const stroke = { frame: 'ijk' as const, points: [[3, 3, 3]] as Vec3[] };
  assert.throws(
    () =>
      paintThresholdStroke(map, volume, stroke, {
        value: 1,
        radiusMm: 2,
        shape: 'sphere',
        huRange: { minHu: 10, maxHu: -10 },
      }),
    MaskToolError,
  );
  const other = volumeOn(labelMapOf([6, 6, 5]), () => 0);
  assert.throws(
    () =>
      paintThresholdStroke(map, other, stroke, {
        value: 1,
        radiusMm: 2,
        shape: 'sphere',
        huRange: { minHu: -10, maxHu: 10 },
      }),
    MaskToolError,
  );
});
