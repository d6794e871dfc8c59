import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import type { Mat3, Vec3 } from '../../../../shared/domain/volume.ts';
import { ijkToLps } from '../../../../shared/imaging/geometry.ts';
import { eraseStroke, paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import { BRUSH_TOLERANCE_MM2 } from '../../../../shared/imaging/mask-tools/brush-footprint.ts';
import {
  applyPatch,
  composePatches,
  validatePatch,
} from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import type { ViewPlane } from '../../../../shared/imaging/mask-tools/view-plane.ts';
import { at, countLabel, dist2PointSegment, forEachVoxel, labelMapOf, prng } from './support.ts';

/** Brute force: indices of voxels within r of the polyline (points in continuous ijk), sphere brush. */
function bruteSphere(map: LabelMap, points: Vec3[], r: number): number[] {
  const s = map.spacingMm;
  const mm = points.map((p) => [p[0] * s[0], p[1] * s[1], p[2] * s[2]] as Vec3);
  const out: number[] = [];
  forEachVoxel(map, (i, j, k, index) => {
    const x: Vec3 = [i * s[0], j * s[1], k * s[2]];
    let best = Infinity;
    for (let m = 0; m < Math.max(1, mm.length - 1); m++)
      best = Math.min(best, dist2PointSegment(x, mm[m]!, mm[Math.min(m + 1, mm.length - 1)]!));
    if (best <= r * r + BRUSH_TOLERANCE_MM2) out.push(index);
  });
  return out;
}

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
  const patch = paintStroke(
    map,
    { frame: 'ijk', points: [[4, 4, 4]] },
    { value: 1, radiusMm: 2, shape: 'sphere' },
  );
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
    const patch = paintStroke(
      map,
      { frame: 'ijk', points: [centre] },
      { value: 2, radiusMm: r, shape: 'sphere' },
    );
    assert.deepEqual(
      [...patch.indices],
      bruteSphere(map, [centre], r),
      `spacing ${spacing.join(',')} r ${r}`,
    );
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
    const patch = paintStroke(
      map,
      { frame: 'ijk', points },
      { value: 1, radiusMm: 3, shape: 'circle', plane },
    );
    const expected = bruteCircle(map, points, 3, plane);
    assert.ok(expected.length > 20);
    assert.deepEqual([...patch.indices], expected, plane);
  }
});

test('randomised strokes (spheres and circles, partly outside the volume) equal brute force', () => {
  const rand = prng(20240607);
  for (let trial = 0; trial < 60; trial++) {
    const size: Vec3 = [
      8 + Math.floor(rand() * 20),
      8 + Math.floor(rand() * 20),
      5 + Math.floor(rand() * 15),
    ];
    const spacing: Vec3 = [0.4 + rand() * 2, 0.4 + rand() * 2, 0.4 + rand() * 3];
    const map = labelMapOf(size, spacing);
    const nPoints = 1 + Math.floor(rand() * 5);
    const points: Vec3[] = [];
    for (let m = 0; m < nPoints; m++) {
      points.push([
        rand() * (size[0] + 6) - 3,
        rand() * (size[1] + 6) - 3,
        rand() * (size[2] + 6) - 3,
      ]);
    }
    const r = 0.3 + rand() * 6;
    const planes = ['axial', 'coronal', 'sagittal'] as const;
    const sphere = rand() < 0.5;
    const plane = planes[Math.floor(rand() * 3)]!;
    const patch = sphere
      ? paintStroke(map, { frame: 'ijk', points }, { value: 1, radiusMm: r, shape: 'sphere' })
      : paintStroke(
          map,
          { frame: 'ijk', points },
          { value: 1, radiusMm: r, shape: 'circle', plane },
        );
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
  const patch = paintStroke(
    map,
    { frame: 'lps', points: lps },
    { value: 2, radiusMm: r, shape: 'sphere' },
  );
  const expected: number[] = [];
  forEachVoxel(map, (i, j, k, index) => {
    const p = ijkToLps(map, [i, j, k]);
    if (dist2PointSegment(p, lps[0]!, lps[1]!) <= r * r + BRUSH_TOLERANCE_MM2) expected.push(index);
  });
  assert.ok(expected.length > 50);
  assert.deepEqual([...patch.indices], expected);

  // On this grid the axis along z (superior) is j, so an axial circle lies in one j-slice.
  const axial = labelMapOf(map.size, map.spacingMm, direction, map.originLps);
  const circle = paintStroke(
    axial,
    { frame: 'lps', points: [[30, -12, 110]] },
    { value: 1, radiusMm: 3, shape: 'circle', plane: 'axial' },
  );
  const js = new Set(
    [...circle.indices].map((index) => Math.floor(index / map.size[0]) % map.size[1]),
  );
  assert.deepEqual([...js], [Math.round((110 - 100) / 1.5)]);
});

test('overwrite rules, eraser and editable mask', () => {
  const base = labelMapOf([12, 12, 3]);
  // Left half class 2, a column of class 1.
  forEachVoxel(base, (i, j, _k, index) => {
    if (i < 6) base.data[index] = 2;
    if (j === 3) base.data[index] = 1;
  });
  const stroke = {
    frame: 'ijk' as const,
    points: [
      [2, 6, 1],
      [9, 6, 1],
    ] as Vec3[],
  };
  const options = { radiusMm: 3, shape: 'sphere' as const };
  const covered = bruteSphere(base, stroke.points, 3);
  const copy = (): LabelMap => ({ ...base, data: base.data.slice() });

  const all = copy();
  const pAll = paintStroke(all, stroke, { ...options, value: 1, overwrite: 'overwrite-all' });
  assert.equal(pAll.indices.length, covered.filter((x) => base.data[x] !== 1).length);

  const empty = copy();
  const pEmpty = paintStroke(empty, stroke, { ...options, value: 1, overwrite: 'only-empty' });
  assert.equal(pEmpty.indices.length, covered.filter((x) => base.data[x] === 0).length);
  assert.ok(pEmpty.before.every((v) => v === 0));
  assert.equal(countLabel(empty.data, 2), countLabel(base.data, 2), 'class 2 protected');

  const onlyTwo = copy();
  const pTwo = paintStroke(onlyTwo, stroke, { ...options, value: 1, overwrite: 'only-class-2' });
  assert.equal(pTwo.indices.length, covered.filter((x) => base.data[x] === 2).length);
  assert.ok(pTwo.before.every((v) => v === 2));

  const erased = copy();
  const pErase = eraseStroke(erased, stroke, { ...options, overwrite: 'only-class-1' });
  assert.equal(pErase.indices.length, covered.filter((x) => base.data[x] === 1).length);
  assert.equal(
    countLabel(erased.data, 2),
    countLabel(base.data, 2),
    'eraser restricted to class 1 keeps class 2',
  );

  const masked = copy();
  const lung = new Uint8Array(base.data.length);
  forEachVoxel(base, (i, _j, _k, index) => (lung[index] = i >= 4 && i <= 7 ? 1 : 0));
  const pMask = paintStroke(masked, stroke, { ...options, value: 1, editableMask: lung });
  assert.equal(
    pMask.indices.length,
    covered.filter((x) => lung[x] === 1 && base.data[x] !== 1).length,
  );

  // Undo restores byte-identical arrays.
  for (const [map, patch] of [
    [all, pAll],
    [empty, pEmpty],
    [onlyTwo, pTwo],
    [erased, pErase],
    [masked, pMask],
  ] as const) {
    applyPatch(map.data, patch, 'backward');
    assert.deepEqual(map.data, base.data);
  }
});

test('per-segment painting composed into one step equals painting the whole stroke', () => {
  const points: Vec3[] = [
    [3, 3, 3],
    [10, 5, 4],
    [14, 12, 4],
    [6, 14, 5],
  ];
  const whole = labelMapOf([18, 18, 9], [0.8, 0.8, 1.5]);
  const wholePatch = paintStroke(
    whole,
    { frame: 'ijk', points },
    { value: 1, radiusMm: 2.5, shape: 'sphere' },
  );
  const pieces = labelMapOf([18, 18, 9], [0.8, 0.8, 1.5]);
  const parts = [];
  for (let m = 0; m + 1 < points.length; m++) {
    parts.push(
      paintStroke(
        pieces,
        { frame: 'ijk', points: [points[m]!, points[m + 1]!] },
        { value: 1, radiusMm: 2.5, shape: 'sphere' },
      ),
    );
  }
  assert.deepEqual(pieces.data, whole.data);
  assert.deepEqual(composePatches(parts), wholePatch);
});

test('strokes outside the volume change nothing; bad options throw before any change', () => {
  const map = labelMapOf([8, 8, 8]);
  assert.equal(
    paintStroke(
      map,
      { frame: 'ijk', points: [[40, 40, 40]] },
      { value: 1, radiusMm: 2, shape: 'sphere' },
    ).indices.length,
    0,
  );
  assert.equal(
    paintStroke(
      map,
      { frame: 'ijk', points: [[4, 4, 20]] },
      { value: 1, radiusMm: 50, shape: 'circle', plane: 'axial' },
    ).indices.length,
    0,
  );
  const bad: [string, () => unknown][] = [
    [
      'radius 0',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 0, shape: 'sphere' },
        ),
    ],
    [
      'circle without plane',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'circle' },
        ),
    ],
    [
      'value 256',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 256, radiusMm: 2, shape: 'sphere' },
        ),
    ],
    [
      'NaN point',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[NaN, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'sphere' },
        ),
    ],
    [
      'no points',
      () =>
        paintStroke(map, { frame: 'ijk', points: [] }, { value: 1, radiusMm: 2, shape: 'sphere' }),
    ],
    [
      'mask size',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'sphere', editableMask: new Uint8Array(3) },
        ),
    ],
    [
      'rule',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'sphere', overwrite: 'only-class-300' },
        ),
    ],
    [
      'data length',
      () =>
        paintStroke(
          { ...map, data: new Uint8Array(5) },
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'sphere' },
        ),
    ],
  ];
  for (const [what, f] of bad) assert.throws(f, MaskToolError, what);
  assert.equal(countLabel(map.data, 0), map.data.length);
});
