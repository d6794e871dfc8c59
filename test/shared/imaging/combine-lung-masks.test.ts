import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineLungMasks, COMBINE_RULE } from '../../../shared/imaging/combine-lung-masks.ts';
import type { Vec3 } from '../../../shared/domain/volume.ts';

// One 64×64×2 volume at 1 mm: a right "lung" (label 1) in columns 8..27, a left one (2) in 36..55,
// rows 10..49. Below the right lung (rows 50..59) a dense base the classical mask missed.
const size: Vec3 = [64, 64, 2];
const spacing: Vec3 = [1, 1, 2.5];
const at = (i: number, j: number, k: number): number => (k * 64 + j) * 64 + i;

function fixture() {
  const n = 64 * 64 * 2;
  const hu = new Int16Array(n).fill(40);
  const classical = new Uint8Array(n);
  const learned = new Uint8Array(n);
  for (let k = 0; k < 2; k++)
    for (let j = 10; j < 50; j++)
      for (let i = 0; i < 64; i++) {
        if (i >= 8 && i < 28) classical[at(i, j, k)] = 1;
        if (i >= 36 && i < 56) classical[at(i, j, k)] = 2;
        if (classical[at(i, j, k)]) hu[at(i, j, k)] = -850;
      }
  for (let k = 0; k < 2; k++)
    for (let j = 10; j < 60; j++) for (let i = 0; i < 64; i++) if ((i >= 8 && i < 28) || (i >= 36 && i < 56)) learned[at(i, j, k)] = 1;
  return { hu, classical, learned };
}

test('a dense base the learned mask finds next to classical lung is added, with the side of the lung it touches', () => {
  const { hu, classical, learned } = fixture();
  const r = combineLungMasks(hu, size, spacing, classical, learned);
  assert.equal(r.labels[at(15, 55, 0)], 1);
  assert.equal(r.labels[at(45, 55, 1)], 2);
  // every classical voxel is kept
  for (let q = 0; q < classical.length; q++) if (classical[q]) assert.equal(r.labels[q], classical[q]);
  const voxelMl = 2.5 / 1000;
  assert.ok(Math.abs(r.comparison.addedMl - 2 * 2 * 20 * 10 * voxelMl) < 1e-9);
  assert.ok(Math.abs(r.comparison.classicalMl - 2 * 2 * 20 * 40 * voxelMl) < 1e-9);
  assert.ok(Math.abs(r.comparison.learnedMl - 2 * 2 * 20 * 50 * voxelMl) < 1e-9);
});

test('thin rims, bone-dense voxels, small islands and learned lung away from classical lung are not added', () => {
  const { hu, classical } = fixture();
  const learned = Uint8Array.from(classical, (v) => (v ? 1 : 0));
  for (let k = 0; k < 2; k++) {
    for (let i = 8; i < 28; i++) learned[at(i, 50, k)] = 1; // 1-pixel rim below the right lung
    for (let j = 50; j < 60; j++)
      for (let i = 36; i < 56; i++) {
        learned[at(i, j, k)] = 1;
        hu[at(i, j, k)] = 400; // bone
      }
    for (let j = 2; j < 8; j++) for (let i = 30; i < 34; i++) learned[at(i, j, k)] = 1; // 24 mm², far from lung
  }
  const r = combineLungMasks(hu, size, spacing, classical, learned);
  assert.equal(r.comparison.addedMl, 0);
  assert.deepEqual(r.labels, classical);
});

test('rule constants are stated and size mismatches are refused', () => {
  assert.equal(COMBINE_RULE.maxAddedHu, 150);
  assert.throws(() => combineLungMasks(new Int16Array(3), size, spacing, new Uint8Array(3), new Uint8Array(3)), /do not match/);
});
