import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postprocessSlice, type EntropySum } from '../../../shared/inference/postprocess.ts';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import type { PreprocessParams } from '../../../shared/inference/preprocess-params.ts';
import { IDENTITY_PARAMS, identityModelLogits } from './identity-model-sim.ts';
import { DEFAULT_CHEST, labelDifferences, syntheticChest, type SyntheticChest } from './synthetic-chest.ts';

/** preprocess → simulated identity model → postprocess for every slice (no onnxruntime). */
function segment(chest: SyntheticChest, params: PreprocessParams, useMask: boolean, entropy?: EntropySum): Uint8Array {
  const { size } = chest.volume;
  const labels = new Uint8Array(chest.volume.data.length).fill(99);
  for (let k = 0; k < size[2]; k++) {
    const { tensor, box } = preprocessWindow(chest.volume, k, params);
    const logits = identityModelLogits(tensor, 1, params);
    postprocessSlice(logits, 0, 3, params.height, params.width, {
      size,
      k,
      box,
      labels,
      lungMask: useMask ? chest.lungMask.data : null,
      classLabels: [0, 1, 2],
      ...(entropy ? { entropy } : {}),
    });
  }
  return labels;
}

test('crop + 2:1 resize + inverse: inserted blocks come back at exactly their voxels', () => {
  const chest = syntheticChest();
  const labels = segment(chest, IDENTITY_PARAMS, true);
  assert.deepEqual(labelDifferences(chest.volume.size, labels, chest.expected), []);
  assert.ok(chest.expected.some((v) => v === 1) && chest.expected.some((v) => v === 2));
});

test('1:1 resize (side = H): exact too', () => {
  const chest = syntheticChest();
  const labels = segment(chest, { ...IDENTITY_PARAMS, height: 128, width: 128 }, true);
  assert.deepEqual(labelDifferences(chest.volume.size, labels, chest.expected), []);
});

test('non-integer scale (128 → 50): only voxels next to an edge (block or lung wall) may differ', () => {
  // At a non-integer scale a network pixel straddles an edge and the identity model sees a
  // partial-volume HU (e.g. lung/wall mix −400 HU = "GGO"): errors are allowed within 2 voxels of
  // an edge only, never elsewhere.
  const chest = syntheticChest();
  const labels = segment(chest, { ...IDENTITY_PARAMS, height: 50, width: 50 }, true);
  const [nI, nJ] = chest.volume.size;
  const nearEdge = (b: { i0: number; i1: number; j0: number; j1: number }, i: number, j: number): boolean =>
    i >= b.i0 - 2 && i < b.i1 + 2 && j >= b.j0 - 2 && j < b.j1 + 2 && !(i >= b.i0 + 2 && i < b.i1 - 2 && j >= b.j0 + 2 && j < b.j1 - 2);
  let wrongFar = 0,
    wrongNear = 0;
  for (let idx = 0; idx < labels.length; idx++) {
    if (labels[idx] === chest.expected[idx]) continue;
    const i = idx % nI,
      j = Math.floor(idx / nI) % nJ,
      k = Math.floor(idx / (nI * nJ));
    const near = nearEdge(DEFAULT_CHEST.lung, i, j) || DEFAULT_CHEST.blocks.some((b) => k >= b.k0 && k < b.k1 && nearEdge(b, i, j));
    if (near) wrongNear++;
    else wrongFar++;
  }
  assert.equal(wrongFar, 0, `${wrongFar} voxels away from any edge differ (${wrongNear} near edges)`);
});

test('lung mask: outside the lung is background; without a mask the body in the box is labelled and outside the box is 0', () => {
  const chest = syntheticChest();
  const withMask = segment(chest, IDENTITY_PARAMS, true);
  for (let idx = 0; idx < withMask.length; idx++) if (chest.lungMask.data[idx] === 0) assert.equal(withMask[idx], 0);
  const noMask = segment(chest, IDENTITY_PARAMS, false);
  const [nI, nJ] = chest.volume.size;
  const at = (i: number, j: number, k: number): number => noMask[i + j * nI + k * nI * nJ]!;
  assert.equal(at(12, 35, 0), 2); // body tissue (+40 HU) → "high opacity" for the identity model
  assert.equal(at(40, 50, 0), 0); // lung on a slice without lung mask
  assert.equal(at(2, 2, 0), 0); // outside the crop box (box starts at column 6, row 16)
  assert.equal(at(150, 150, 0), 0);
  assert.ok(!noMask.includes(99));
});

test('entropy sums over evaluated (lung) voxels only; class labels map channels', () => {
  const chest = syntheticChest();
  const entropy: EntropySum = { sum: 0, count: 0 };
  segment(chest, IDENTITY_PARAMS, true, entropy);
  const lungVoxels = chest.lungMask.data.reduce((a, v) => a + (v ? 1 : 0), 0);
  assert.equal(entropy.count, lungVoxels);
  assert.ok(entropy.sum / entropy.count > 0 && entropy.sum / entropy.count < 0.01); // saturated logits: confident

  // channel → label mapping and argmax ties → lowest channel
  const logits = new Float32Array([0, 0, 1, 1]); // C = 4, H = W = 1: channels 2 and 3 tie
  const labels = new Uint8Array(1);
  postprocessSlice(logits, 0, 4, 1, 1, {
    size: [1, 1, 1],
    k: 0,
    box: { rowStart: 0, colStart: 0, side: 1 },
    labels,
    classLabels: [0, 1, 7, 9],
  });
  assert.equal(labels[0], 7);
  assert.throws(
    () =>
      postprocessSlice(logits, 0, 4, 1, 1, {
        size: [1, 1, 1],
        k: 0,
        box: { rowStart: 0, colStart: 0, side: 1 },
        labels,
        classLabels: [0, 1],
      }),
    RangeError,
  );
});
