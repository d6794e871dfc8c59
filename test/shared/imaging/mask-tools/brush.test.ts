import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import type { Mat3, Vec3 } from '../../../../shared/domain/volume.ts';
import { ijkToLps } from '../../../../shared/imaging/geometry.ts';
import { paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import { BRUSH_TOLERANCE_MM2 } from '../../../../shared/imaging/mask-tools/brush-footprint.ts';
import { validatePatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import type { ViewPlane } from '../../../../shared/imaging/mask-tools/view-plane.ts';
import { at, bruteSphere, countLabel, dist2PointSegment, forEachVoxel, labelMapOf, prng } from './support.ts';

const NORMAL: Record<ViewPlane, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2 };

/** Brute force for a circle brush: points projected on the slice nearest the first point. */
function bruteCircle(map: LabelMap, points: Vec3[], r: number, plane: ViewPlane): number[] {
  const n = NORMAL[plane];
  const slice = Math.round(points[0]![n]);
  const projected = points.map((p) => {
    const q = [p[0], p[1], p[2]] as [number, number, number];
    q[n] = slice;
    return q;
  });
  return bruteSphere(map, projected, r).filter((index) => {
    const i = index % map.size[0];
    const j = Math.floor(index / map.size[0]) % map.size[1];
    const k = Math.floor(index / (map.size[0] * map.size[1]));
    return [i, j, k][n] === slice;
  });
}

test('a sphere of radius 2 mm on 1×1×2 mm spacing covers exactly 15 voxels (13 in-plane + 1 above + 1 below)', () => {
  const map = labelMapOf([9, 9, 9], [1, 1, 2]);
  const patch = paintStroke(map, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 1, radiusMm: 2, shape: 'sphere' });
  assert.equal(patch.indices.length, 15);
  assert.equal(countLabel(map.data, 1), 15);
  assert.equal(map.data[at(map, 4, 4, 3)], 1);
  assert.equal(map.data[at(map, 4, 4, 5)], 1);
  assert.equal(map.data[at(map, 5, 4, 5)], 0);
  assert.equal(map.data[at(map, 6, 4, 4)], 1, 'a voxel exactly on the surface is painted');
});

test('sphere brush matches brute force on anisotropic grids (off-centre points, many radii)', () => {
  for (const [spacing, r, centre] of [
    [[1, 1, 2], 5, [10, 10, 10]],
    [[1, 1, 2], 7.3, [10.4, 9.7, 10.2]],
    [[0.7, 0.7, 1.25], 4, [12.5, 11.5, 10]],
    [[0.5, 2, 1], 3.2, [10, 10, 10]],
  ] as [Vec3, number, Vec3][]) {
    const map = labelMapOf([24, 22, 21], spacing);
    const patch = paintStroke(map, { frame: 'ijk', points: [centre] }, { value: 2, radiusMm: r, shape: 'sphere' });
    assert.deepEqual([...patch.indices], bruteSphere(map, [centre], r), `spacing ${spacing.join(',')} r ${r}`);
    assert.ok(patch.after.every((v) => v === 2) && patch.before.every((v) => v === 0));
  }
});

test('circle brush stays in the view slice and matches brute force in all three planes', () => {
  for (const plane of ['axial', 'coronal', 'sagittal'] as const) {
    const map = labelMapOf([20, 18, 16], [0.8, 1.1, 2.5]);
    const points: Vec3[] = [
      [6.2, 7.1, 8.4],
      [13, 9, 8.6],
      [12, 14.2, 7.9],
    ];
    const patch = paintStroke(map, { frame: 'ijk', points }, { value: 1, radiusMm: 3, shape: 'circle', plane });
    const expected = bruteCircle(map, points, 3, plane);
    assert.ok(expected.length > 20);
    assert.deepEqual([...patch.indices], expected, plane);
  }
});

test('randomised strokes (spheres and circles, partly outside the volume) equal brute force', () => {
  const rand = prng(20240607);
  for (let trial = 0; trial < 60; trial++) {
    const size: Vec3 = [8 + Math.floor(rand() * 20), 8 + Math.floor(rand() * 20), 5 + Math.floor(rand() * 15)];
    const spacing: Vec3 = [0.4 + rand() * 2, 0.4 + rand() * 2, 0.4 + rand() * 3];
    const map = labelMapOf(size, spacing);
    const nPoints = 1 + Math.floor(rand() * 5);
    const points: Vec3[] = [];
    for (let m = 0; m < nPoints; m++) {
      points.push([rand() * (size[0] + 6) - 3, rand() * (size[1] + 6) - 3, rand() * (size[2] + 6) - 3]);
    }
    const r = 0.3 + rand() * 6;
    const planes = ['axial', 'coronal', 'sagittal'] as const;
    const sphere = rand() < 0.5;
    const plane = planes[Math.floor(rand() * 3)]!;
    const patch = sphere
      ? paintStroke(map, { frame: 'ijk', points }, { value: 1, radiusMm: r, shape: 'sphere' })
      : paintStroke(map, { frame: 'ijk', points }, { value: 1, radiusMm: r, shape: 'circle', plane });
    const expected = sphere ? bruteSphere(map, points, r) : bruteCircle(map, points, r, plane);
    assert.deepEqual([...patch.indices], expected, `trial ${trial}`);
    validatePatch(patch, map.data.length);
  }
});

test('a fast drag (two far-apart samples) leaves no gap', () => {
  const map = labelMapOf([64, 16, 4], [0.7, 0.7, 2]);
  paintStroke(
    map,
    {
      frame: 'ijk',
      points: [
        [2, 8, 1],
        [61, 8, 1],
      ],
    },
    { value: 1, radiusMm: 0.5, shape: 'circle', plane: 'axial' },
  );
  for (let i = 2; i <= 61; i++) assert.equal(map.data[at(map, i, 8, 1)], 1, `voxel ${i} painted`);
  assert.equal(countLabel(map.data, 1), 60);
});

test('LPS strokes on a permuted, flipped grid match brute force in patient millimetres', () => {
  // i → −x (right), j → +z (superior), k → +y (posterior).
  const direction: Mat3 = [-1, 0, 0, 0, 0, 1, 0, 1, 0];
  const map = labelMapOf([20, 18, 12], [0.9, 1.5, 2], direction, [40, -20, 100]);
  const lps: Vec3[] = [
    [30, -12, 110],
    [26, -8, 118],
  ];
  const r = 4;
  const patch = paintStroke(map, { frame: 'lps', points: lps }, { value: 2, radiusMm: r, shape: 'sphere' });
  const expected: number[] = [];
  forEachVoxel(map, (i, j, k, index) => {
    const p = ijkToLps(map, [i, j, k]);
    if (dist2PointSegment(p, lps[0]!, lps[1]!) <= r * r + BRUSH_TOLERANCE_MM2) expected.push(index);
  });
  assert.ok(expected.length > 50);
  assert.deepEqual([...patch.indices], expected);

  // On this grid the axis along z (superior) is j, so an axial circle lies in one j-slice.
  const axial = labelMapOf(map.size, map.spacingMm, direction, map.originLps);
  const circle = paintStroke(axial, { frame: 'lps', points: [[30, -12, 110]] }, { value: 1, radiusMm: 3, shape: 'circle', plane: 'axial' });
  const js = new Set([...circle.indices].map((index) => Math.floor(index / map.size[0]) % map.size[1]));
  assert.deepEqual([...js], [Math.round((110 - 100) / 1.5)]);
});
