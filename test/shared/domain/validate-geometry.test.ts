import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geometryProblems, GEOMETRY_LIMITS } from '../../../shared/domain/validate-geometry.ts';
import { IDENTITY_DIRECTION, type VolumeGeometry } from '../../../shared/domain/volume.ts';

const g = (over: Partial<VolumeGeometry> = {}): VolumeGeometry => ({
  size: [512, 512, 300],
  spacingMm: [0.7, 0.7, 1.25],
  originLps: [-180, -180, -400],
  directionLps: IDENTITY_DIRECTION,
  ...over,
});

test('a chest CT geometry, a gantry tilt of 30° and a 1×1×1 volume are plausible', () => {
  assert.deepEqual(geometryProblems(g()), []);
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  assert.deepEqual(geometryProblems(g({ directionLps: [1, 0, 0, 0, 1, 0, 0, s, c] })), []);
  assert.deepEqual(geometryProblems(g({ size: [1, 1, 1], spacingMm: [1, 1, 1] })), []);
  assert.deepEqual(
    geometryProblems(g({ spacingMm: [GEOMETRY_LIMITS.minSpacingMm, 1, GEOMETRY_LIMITS.maxSpacingMm], size: [512, 512, 100] })),
    [],
  );
});

test('zero, negative, non-finite, microscopic and astronomic spacing are refused with a sentence', () => {
  for (const k of [0, -2, Number.NaN, Number.POSITIVE_INFINITY, 1e-6, 1e6, 1e300, 0.049, 20.01]) {
    const p = geometryProblems(g({ spacingMm: [0.7, 0.7, k] }));
    assert.equal(p.length, 1, `k spacing ${k}: ${p.join('; ')}`);
    assert.match(p[0] ?? '', /voxel spacing along k \(slices\)/);
  }
  assert.match(geometryProblems(g({ spacingMm: [0.7, 0.7, 0] }))[0] ?? '', /zero: all slices at one position/);
});

test('implausible extent, origin, sizes and directions are refused', () => {
  assert.match(geometryProblems(g({ size: [512, 512, 2000], spacingMm: [0.7, 0.7, 2] }))[0] ?? '', /extent along k/);
  assert.match(geometryProblems(g({ originLps: [0, 0, 1e300] }))[0] ?? '', /position of the first voxel/);
  assert.match(geometryProblems(g({ size: [512, 0, 3] }))[0] ?? '', /size along j/);
  assert.match(geometryProblems(g({ directionLps: [1, 0, 0, 0, 1, 0, 1, 0, 0] }))[0] ?? '', /slice axis lies/);
  assert.match(geometryProblems(g({ directionLps: [1, 0, 0, 0, 1, 0, 0, 0, Number.NaN] }))[0] ?? '', /direction cosines/);
});
