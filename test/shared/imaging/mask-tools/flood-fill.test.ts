import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import type { Vec3, Volume } from '../../../../shared/domain/volume.ts';
import { applyPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { floodFill } from '../../../../shared/imaging/mask-tools/flood-fill.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import type { ViewPlane } from '../../../../shared/imaging/mask-tools/view-plane.ts';
import { at, countLabel, forEachVoxel, labelMapOf, prng, volumeOn } from './support.ts';

/** Reference flood fill: breadth-first search with explicit neighbour offsets. */
function bruteRegion(
  map: LabelMap,
  seed: Vec3,
  ok: (index: number) => boolean,
  connectivity: 'face' | 'full',
  plane?: ViewPlane,
): number[] {
  const [nI, nJ, nK] = map.size;
  const normal = plane === undefined ? -1 : { sagittal: 0, coronal: 1, axial: 2 }[plane];
  const offsets: Vec3[] = [];
  for (let dk = -1; dk <= 1; dk++)
    for (let dj = -1; dj <= 1; dj++)
      for (let di = -1; di <= 1; di++) {
        const d: Vec3 = [di, dj, dk];
        const nonZero = d.filter((x) => x !== 0).length;
        if (nonZero === 0 || (normal >= 0 && d[normal] !== 0)) continue;
        if (connectivity === 'face' && nonZero !== 1) continue;
        offsets.push(d);
      }
  const seen = new Set<number>();
  const start = at(map, ...seed);
  if (!ok(start)) return [];
  const queue: Vec3[] = [seed];
  seen.add(start);
  while (queue.length > 0) {
    const [i, j, k] = queue.shift()!;
    for (const [di, dj, dk] of offsets) {
      const a = i + di,
        b = j + dj,
        c = k + dk;
      if (a < 0 || b < 0 || c < 0 || a >= nI || b >= nJ || c >= nK) continue;
      const x = at(map, a, b, c);
      if (seen.has(x) || !ok(x)) continue;
      seen.add(x);
      queue.push([a, b, c]);
    }
  }
  return [...seen].sort((x, y) => x - y);
}

test('3-D same-label fill of the cavity inside a shell: exact voxel count, not the outside', () => {
  const map = labelMapOf([12, 12, 12]);
  // A class-2 cube shell 2..9 encloses a background cavity 3..8 (6³ = 216 voxels).
  forEachVoxel(map, (i, j, k, x) => {
    const inCube = [i, j, k].every((c) => c >= 2 && c <= 9);
    const inCavity = [i, j, k].every((c) => c >= 3 && c <= 8);
    if (inCube && !inCavity) map.data[x] = 2;
  });
  const before = map.data.slice();
  const result = floodFill(map, [5, 5, 5], { value: 1 });
  assert.equal(result.status, 'filled');
  assert.equal(result.regionVoxels, 216);
  assert.equal(result.patch.indices.length, 216);
  assert.equal(countLabel(map.data, 1), 216);
  applyPatch(map.data, result.patch, 'backward');
  assert.deepEqual(map.data, before);
});

test('6- vs 26-connectivity: cubes touching only at a corner', () => {
  const map = labelMapOf([10, 10, 10]);
  const volume = volumeOn(map, (i, j, k) => {
    const a = i <= 3 && j <= 3 && k <= 3;
    const b = i >= 4 && i <= 6 && j >= 4 && j <= 6 && k >= 4 && k <= 6;
    return a || b ? 40 : -900;
  });
  const face = floodFill({ ...map, data: map.data.slice() }, [1, 1, 1], {
    value: 2,
    huRange: { minHu: 0, maxHu: 100 },
    volume,
  });
  assert.equal(face.regionVoxels, 64);
  const full = floodFill({ ...map, data: map.data.slice() }, [1, 1, 1], {
    value: 2,
    huRange: { minHu: 0, maxHu: 100 },
    volume,
    connectivity: 'full',
  });
  assert.equal(full.regionVoxels, 64 + 27);
});

test('fills equal a breadth-first reference on random data (2-D in every plane and 3-D, both connectivities)', () => {
  const rand = prng(77);
  for (let trial = 0; trial < 40; trial++) {
    const map = labelMapOf([6 + Math.floor(rand() * 14), 6 + Math.floor(rand() * 14), 4 + Math.floor(rand() * 10)]);
    for (let x = 0; x < map.data.length; x++) map.data[x] = rand() < 0.35 ? 1 + Math.floor(rand() * 2) : 0;
    const volume: Volume = volumeOn(map, () => Math.round(rand() * 200 - 100));
    const seed: Vec3 = [Math.floor(rand() * map.size[0]), Math.floor(rand() * map.size[1]), Math.floor(rand() * map.size[2])];
    const connectivity = rand() < 0.5 ? 'face' : 'full';
    const planes = [undefined, 'axial', 'coronal', 'sagittal'] as const;
    const plane = planes[Math.floor(rand() * 4)];
    const useHu = rand() < 0.6;
    const sameLabel = !useHu || rand() < 0.5;
    const seedLabel = map.data[at(map, ...seed)]!;
    const ok = (x: number): boolean =>
      (!useHu || (volume.data[x]! >= -60 && volume.data[x]! <= 80)) && (!sameLabel || map.data[x] === seedLabel);
    const expected = bruteRegion(map, seed, ok, connectivity, plane);
    const copy = { ...map, data: map.data.slice() };
    const result = floodFill(copy, seed, {
      value: 3,
      connectivity,
      ...(plane === undefined ? {} : { plane }),
      ...(useHu ? { huRange: { minHu: -60, maxHu: 80 }, volume, sameLabel } : {}),
    });
    assert.equal(result.regionVoxels, expected.length, `trial ${trial}`);
    assert.deepEqual([...result.patch.indices], expected, `trial ${trial}`);
  }
});

test('2-D fill stays in the seed slice of the view', () => {
  for (const plane of ['axial', 'coronal', 'sagittal'] as const) {
    const map = labelMapOf([7, 8, 9], [0.7, 0.7, 2]);
    const result = floodFill(map, [3, 4, 5], { value: 1, plane });
    const expected = { axial: 7 * 8, coronal: 7 * 9, sagittal: 8 * 9 }[plane];
    assert.equal(result.regionVoxels, expected, plane);
    const n = { sagittal: 0, coronal: 1, axial: 2 }[plane];
    forEachVoxel(map, (i, j, k, x) => assert.equal(map.data[x], [i, j, k][n] === [3, 4, 5][n] ? 1 : 0));
  }
});

test('bounded: a leaking fill stops at maxVoxels and changes nothing', () => {
  const map = labelMapOf([20, 20, 20]);
  const result = floodFill(map, [0, 0, 0], { value: 1, maxVoxels: 1000 });
  assert.equal(result.status, 'limit-reached');
  assert.equal(result.patch.indices.length, 0);
  assert.ok(result.regionVoxels > 1000);
  assert.equal(countLabel(map.data, 0), 8000);
  const exactLimit = floodFill(map, [0, 0, 0], { value: 1, maxVoxels: 8000 });
  assert.equal(exactLimit.status, 'filled');
  assert.equal(exactLimit.patch.indices.length, 8000);
});

test('editable mask bounds the region; overwrite rule lets it cross voxels already holding the value', () => {
  const map = labelMapOf([10, 10, 3]);
  const volume = volumeOn(map, () => -600);
  const lung = new Uint8Array(map.data.length);
  forEachVoxel(map, (i, _j, _k, x) => (lung[x] = i < 5 ? 1 : 0));
  const masked = floodFill({ ...map, data: map.data.slice() }, [1, 1, 1], {
    value: 1,
    huRange: { minHu: -700, maxHu: -500 },
    volume,
    editableMask: lung,
  });
  assert.equal(masked.regionVoxels, 5 * 10 * 3);

  // Row j = 5 holds class 1 already; class 2 elsewhere in j = 8; only-empty fills around them.
  const labelled = { ...map, data: map.data.slice() };
  forEachVoxel(labelled, (_i, j, _k, x) => {
    if (j === 5) labelled.data[x] = 1;
    if (j === 8) labelled.data[x] = 2;
  });
  const result = floodFill(labelled, [0, 0, 0], {
    value: 1,
    huRange: { minHu: -700, maxHu: -500 },
    volume,
    overwrite: 'only-empty',
  });
  assert.equal(result.regionVoxels, 8 * 10 * 3, 'rows j = 0..7; the class-2 wall at j = 8 cuts off j = 9');
  assert.equal(result.patch.indices.length, 10 * 8 * 3 - 10 * 3);
  assert.equal(countLabel(labelled.data, 2), 30, 'class 2 untouched');
});

test('seed failing the criteria is rejected; invalid requests throw', () => {
  const map = labelMapOf([5, 5, 5]);
  const volume = volumeOn(map, () => 100);
  const rejected = floodFill(map, [2, 2, 2], {
    value: 1,
    huRange: { minHu: -1000, maxHu: 0 },
    volume,
  });
  assert.equal(rejected.status, 'seed-rejected');
  assert.equal(rejected.patch.indices.length, 0);
  assert.throws(() => floodFill(map, [5, 0, 0], { value: 1 }), MaskToolError);
  assert.throws(() => floodFill(map, [0, 0, 0], { value: 1, huRange: { minHu: 0, maxHu: 1 } }), MaskToolError);
  assert.throws(() => floodFill(map, [0, 0, 0], { value: 1, sameLabel: false }), MaskToolError);
  assert.throws(() => floodFill(map, [0, 0, 0], { value: 1, maxVoxels: 0 }), MaskToolError);
});
