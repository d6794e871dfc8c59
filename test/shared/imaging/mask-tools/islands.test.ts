import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import { applyPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { removeIslands } from '../../../../shared/imaging/mask-tools/islands.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import { at, countLabel, labelMapOf, prng } from './support.ts';

function box(map: LabelMap, label: number, from: [number, number, number], to: [number, number, number]): void {
  for (let k = from[2]; k <= to[2]; k++)
    for (let j = from[1]; j <= to[1]; j++) for (let i = from[0]; i <= to[0]; i++) map.data[at(map, i, j, k)] = label;
}

/** Class-1 blobs of 27, 8 and 1 voxels; class-2 blobs of 64 and 2 voxels (all 6-separated). */
function blobs(): LabelMap {
  const map = labelMapOf([20, 20, 12], [1, 1, 2]);
  box(map, 1, [1, 1, 1], [3, 3, 3]);
  box(map, 1, [8, 1, 1], [9, 2, 2]);
  box(map, 1, [15, 15, 10], [15, 15, 10]);
  box(map, 2, [1, 10, 5], [4, 13, 8]);
  box(map, 2, [12, 6, 1], [13, 6, 1]);
  return map;
}

/** Reference: component size and id (first voxel) per voxel by breadth-first search over same-label neighbours. */
function bruteComponents(map: LabelMap, connectivity: 6 | 26): { size: Int32Array; id: Int32Array } {
  const [nI, nJ, nK] = map.size;
  const size = new Int32Array(map.data.length);
  const id = new Int32Array(map.data.length);
  const seen = new Uint8Array(map.data.length);
  for (let start = 0; start < map.data.length; start++) {
    if (map.data[start] === 0 || seen[start]) continue;
    const label = map.data[start];
    const members = [start];
    seen[start] = 1;
    for (let q = 0; q < members.length; q++) {
      const x = members[q]!;
      const i = x % nI,
        j = Math.floor(x / nI) % nJ,
        k = Math.floor(x / (nI * nJ));
      for (let dk = -1; dk <= 1; dk++)
        for (let dj = -1; dj <= 1; dj++)
          for (let di = -1; di <= 1; di++) {
            const manhattan = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
            if (manhattan === 0 || (connectivity === 6 && manhattan > 1)) continue;
            const a = i + di,
              b = j + dj,
              c = k + dk;
            if (a < 0 || b < 0 || c < 0 || a >= nI || b >= nJ || c >= nK) continue;
            const y = at(map, a, b, c);
            if (seen[y] || map.data[y] !== label) continue;
            seen[y] = 1;
            members.push(y);
          }
    }
    for (const x of members) {
      size[x] = members.length;
      id[x] = start;
    }
  }
  return { size, id };
}

test('remove-small removes components below N voxels, per class, with exact counts', () => {
  const map = blobs();
  const before = map.data.slice();
  const result = removeIslands(map, { mode: 'remove-small', minVoxels: 9 });
  assert.deepEqual(result.perClass, [
    { label: 1, components: 3, removedComponents: 2, removedVoxels: 9 },
    { label: 2, components: 2, removedComponents: 1, removedVoxels: 2 },
  ]);
  assert.equal(result.patch.indices.length, 11);
  assert.equal(countLabel(map.data, 1), 27);
  assert.equal(countLabel(map.data, 2), 64);
  assert.ok(result.patch.after.every((v) => v === 0));
  applyPatch(map.data, result.patch, 'backward');
  assert.deepEqual(map.data, before);

  // Exactly N voxels is kept (strictly smaller is removed).
  const keep8 = blobs();
  assert.equal(removeIslands(keep8, { mode: 'remove-small', minVoxels: 8 }).patch.indices.length, 1 + 2);
});

test('remove-small by volume uses the voxel volume (1×1×2 mm = 0.002 mL)', () => {
  const map = blobs();
  // 0.016 mL = exactly 8 voxels: the 8-voxel blob stays, 1- and 2-voxel blobs go.
  const result = removeIslands(map, { mode: 'remove-small', minVolumeMl: 0.016 });
  assert.equal(result.patch.indices.length, 3);
  const more = blobs();
  assert.equal(removeIslands(more, { mode: 'remove-small', minVolumeMl: 0.0161 }).patch.indices.length, 11);
});

test('keep-largest keeps one component per class; classes option restricts the classes', () => {
  const map = blobs();
  const result = removeIslands(map, { mode: 'keep-largest' });
  assert.equal(countLabel(map.data, 1), 27);
  assert.equal(countLabel(map.data, 2), 64);
  assert.equal(result.patch.indices.length, 9 + 2);
  const onlyTwo = blobs();
  removeIslands(onlyTwo, { mode: 'keep-largest', classes: [2] });
  assert.equal(countLabel(onlyTwo.data, 1), 36);
  assert.equal(countLabel(onlyTwo.data, 2), 64);
});

test('an island of one class touching another class is still an island; 6 vs 26 connectivity', () => {
  const map = labelMapOf([10, 10, 10]);
  box(map, 2, [2, 2, 2], [5, 5, 5]);
  box(map, 1, [6, 3, 3], [6, 3, 3]); // touches the class-2 cube
  box(map, 1, [7, 4, 4], [7, 4, 4]); // touches the previous voxel at a corner only
  const six = removeIslands({ ...map, data: map.data.slice() }, { mode: 'remove-small', minVoxels: 2, connectivity: 6 });
  assert.equal(six.perClass[0]!.components, 2);
  assert.equal(six.perClass[0]!.removedVoxels, 2);
  const full = removeIslands({ ...map, data: map.data.slice() }, { mode: 'remove-small', minVoxels: 2, connectivity: 26 });
  assert.equal(full.perClass[0]!.components, 1);
  assert.equal(full.perClass[0]!.removedVoxels, 0);
});

test('random label maps: remove-small and keep-largest equal a breadth-first reference (both connectivities, unaligned buffer)', () => {
  const rand = prng(4242);
  for (let trial = 0; trial < 30; trial++) {
    const size: [number, number, number] = [3 + Math.floor(rand() * 17), 3 + Math.floor(rand() * 17), 2 + Math.floor(rand() * 10)];
    const n = size[0] * size[1] * size[2];
    // Every other trial the labels start at byte offset 1, so the 4-byte fast path is skipped.
    const offset = trial % 2;
    const data = new Uint8Array(n + offset).subarray(offset);
    const density = 0.2 + rand() * 0.5;
    for (let x = 0; x < n; x++) data[x] = rand() < density ? 1 + Math.floor(rand() * 2) : 0;
    const map: LabelMap = { ...labelMapOf(size), data };
    const connectivity = rand() < 0.5 ? 6 : 26;
    const minVoxels = 1 + Math.floor(rand() * 6);
    const { size: sizes, id } = bruteComponents(map, connectivity);
    const expected = data.slice();
    if (trial % 3 === 2) {
      // keep-largest: per class the largest component, ties going to the first in scan order.
      const best = new Map<number, number>();
      for (let x = 0; x < n; x++) {
        const label = data[x]!;
        if (label === 0 || id[x] !== x) continue;
        const current = best.get(label);
        if (current === undefined || sizes[x]! > sizes[current]!) best.set(label, x);
      }
      for (let x = 0; x < n; x++) if (expected[x] !== 0 && best.get(expected[x]!) !== id[x]) expected[x] = 0;
      removeIslands(map, { mode: 'keep-largest', connectivity });
    } else {
      for (let x = 0; x < n; x++) if (expected[x] !== 0 && sizes[x]! < minVoxels) expected[x] = 0;
      removeIslands(map, { mode: 'remove-small', minVoxels, connectivity });
    }
    assert.deepEqual(map.data, expected, `trial ${trial}`);
  }
});

test('invalid island options throw', () => {
  const map = blobs();
  assert.throws(() => removeIslands(map, { mode: 'remove-small' }), MaskToolError);
  assert.throws(() => removeIslands(map, { mode: 'remove-small', minVoxels: 3, minVolumeMl: 1 }), MaskToolError);
  assert.throws(() => removeIslands(map, { mode: 'keep-largest', classes: [0] }), MaskToolError);
  assert.throws(() => removeIslands(map, { mode: 'keep-largest', connectivity: 18 as 6 }), MaskToolError);
});
