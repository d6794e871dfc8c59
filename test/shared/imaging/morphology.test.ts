import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Vec3, Volume } from '../../../shared/domain/volume.ts';
import { blockGridFor, blockMean } from '../../../shared/imaging/block-grid.ts';
import { componentsBySize, labelComponents, largestComponent } from '../../../shared/imaging/connected-components.ts';
import { boundingBox, closeBox, dilateBox, erodeBox, fillHolesSlices } from '../../../shared/imaging/morphology.ts';

/** Mask from rows of '#'/'.' (one slice per string array). */
function mask(...slices: string[][]): { m: Uint8Array; size: Vec3 } {
  const ny = slices[0]!.length;
  const nx = slices[0]![0]!.length;
  const m = new Uint8Array(nx * ny * slices.length);
  slices.forEach((rows, k) => rows.forEach((r, j) => Array.from(r).forEach((c, i) => (m[i + j * nx + k * nx * ny] = c === '#' ? 1 : 0))));
  return { m, size: [nx, ny, slices.length] };
}
function rows(m: Uint8Array, size: Vec3, k = 0): string[] {
  const out: string[] = [];
  for (let j = 0; j < size[1]; j++) {
    let r = '';
    for (let i = 0; i < size[0]; i++) r += m[i + j * size[0] + k * size[0] * size[1]] ? '#' : '.';
    out.push(r);
  }
  return out;
}

test('labelComponents: 6-connectivity in 3-D (diagonals are separate), sizes, scan order', () => {
  const { m, size } = mask(['##..#', '#...#', '....#'], ['.....', '...#.', '....#']);
  const c = labelComponents(m, size);
  // {3 voxels top-left}, {right column 3 + (4,2,1)}, {(3,1,1)} alone (diagonal to nothing face-wise)
  assert.equal(c.count, 3);
  const sizes = componentsBySize(c).map((l) => c.sizes[l]);
  assert.deepEqual(sizes, [4, 3, 1]);
  assert.equal(c.labels[0], c.labels[1]);
  assert.equal(c.labels[4], c.labels[4 + 2 * 5 + 15]); // (4,0,0) joined to (4,2,1) through (4,2,0)
  assert.notEqual(c.labels[3 + 5 + 15], c.labels[4 + 2 * 5 + 15]);
});

test('labelComponents: a U shape merges two runs that meet later (union–find)', () => {
  const { m, size } = mask(['#...#', '#...#', '#####']);
  const c = labelComponents(m, size);
  assert.equal(c.count, 1);
  assert.equal(c.sizes[1], 9);
});

test('largestComponent keeps only the biggest blob', () => {
  const { m, size } = mask(['##...', '##..#', '.....']);
  assert.deepEqual(rows(largestComponent(m, size), size), ['##...', '##...', '.....']);
});

test('box dilation, erosion and closing are exact', () => {
  const { m, size } = mask(['.......', '.#...#.', '.......']);
  assert.deepEqual(rows(dilateBox(m, size, [1, 1, 0]), size), ['###.###', '###.###', '###.###']);
  const { m: two, size: s1 } = mask(['...#...#...']);
  assert.deepEqual(rows(closeBox(two, s1, [2, 0, 0]), s1), ['...#####...']);
  // where the dilation reaches the grid edge, the edge counts as on: nothing erodes back there
  assert.deepEqual(rows(closeBox(m, size, [2, 0, 0]), size), ['.......', '#######', '.......']);
  const { m: sq, size: s2 } = mask(['#####', '#####', '#####', '##.##']);
  // erosion: the grid edge does not erode, the hole does
  assert.deepEqual(rows(erodeBox(sq, s2, [1, 1, 0]), s2), ['#####', '#####', '#...#', '#...#']);
});

test('box operations restricted to a box leave the rest untouched', () => {
  const { m, size } = mask(['#.....#']);
  const out = dilateBox(m, size, [1, 0, 0], { i0: 0, i1: 3, j0: 0, j1: 1, k0: 0, k1: 1 });
  assert.deepEqual(rows(out, size), ['##....#']);
});

test('fillHolesSlices fills enclosed background only, per slice', () => {
  const { m, size } = mask(['#####', '#..##', '#####', '#...#'], ['.###.', '.#.#.', '.###.', '.....']);
  fillHolesSlices(m, size);
  assert.deepEqual(rows(m, size, 0), ['#####', '#####', '#####', '#...#']);
  assert.deepEqual(rows(m, size, 1), ['.###.', '.###.', '.###.', '.....']);
});

test('boundingBox with margin, clipped', () => {
  const { m, size } = mask(['.....', '..#..', '.....']);
  assert.deepEqual(boundingBox(m, size, [1, 5, 0]), { i0: 1, i1: 4, j0: 0, j1: 3, k0: 0, k1: 1 });
  assert.equal(boundingBox(new Uint8Array(15), size), null);
});

test('block grid: factors from the target spacing, block means with short edge blocks', () => {
  const g = blockGridFor([5, 4, 3], [0.7, 0.7, 2.5], [1.4, 1.4, 2.5]);
  assert.deepEqual([...g.factor], [2, 2, 1]);
  assert.deepEqual([...g.size], [3, 2, 3]);
  assert.deepEqual([...g.spacingMm], [1.4, 1.4, 2.5]);
  const data = new Int16Array(60);
  for (let p = 0; p < 60; p++) data[p] = p % 5; // value = i
  const v: Volume = {
    size: [5, 4, 3],
    spacingMm: [0.7, 0.7, 2.5],
    originLps: [0, 0, 0],
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    data,
  };
  const w = blockMean(v, g);
  // blocks along i: {0,1} → 0.5 → 1 (round half up), {2,3} → 2.5 → 3, {4} → 4
  assert.deepEqual([...w.subarray(0, 3)], [1, 3, 4]);
});
