import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postprocessSlice } from '../../../shared/inference/postprocess.ts';
import { smoothLesionClassAlongZ } from '../../../shared/inference/z-consistency.ts';

/** One 2×2 network output `[3, 2, 2]` whose four pixels carry the given probabilities (bg, GGO, HO). */
function logitsOf(probs: readonly (readonly [number, number, number])[]): Float32Array {
  const out = new Float32Array(3 * 4);
  probs.forEach((p, q) => p.forEach((v, c) => (out[c * 4 + q] = Math.log(v))));
  return out;
}

/** Labels of a 2×2 slice mapped 1:1 (box = the slice), with an optional decision rule. */
function run(probs: readonly (readonly [number, number, number])[], decision: { lesionThreshold: number; hoThreshold: number } | null) {
  const labels = new Uint8Array(4);
  const split = new Uint8Array(4);
  postprocessSlice(logitsOf(probs), 0, 3, 2, 2, {
    size: [2, 2, 1],
    k: 0,
    box: { rowStart: 0, colStart: 0, side: 2 },
    labels,
    classLabels: [0, 1, 2],
    decision,
    splitProbability: split,
  });
  return { labels: [...labels], split: [...split] };
}

const PIXELS = [
  [0.45, 0.3, 0.25], // argmax background, but lesion 0.55
  [0.2, 0.5, 0.3], // GGO; p(HO | lesion) = 0.375
  [0.2, 0.35, 0.45], // HO; p(HO | lesion) = 0.5625
  [0.9, 0.06, 0.04], // background
] as const;

test('without a decision rule the label is the argmax; split probability is written for lesion voxels only', () => {
  const r = run(PIXELS, null);
  assert.deepEqual(r.labels, [0, 1, 2, 0]);
  assert.deepEqual(r.split, [0, Math.round(255 * 0.375), Math.round(255 * 0.5625), 0]);
});

test('the decision rule thresholds p(lesion) and p(HO | lesion)', () => {
  assert.deepEqual(run(PIXELS, { lesionThreshold: 0.5, hoThreshold: 0.5 }).labels, [1, 1, 2, 0]);
  assert.deepEqual(run(PIXELS, { lesionThreshold: 0.6, hoThreshold: 0.5 }).labels, [0, 1, 2, 0]);
  assert.deepEqual(run(PIXELS, { lesionThreshold: 0.5, hoThreshold: 0.6 }).labels, [1, 1, 1, 0]);
  assert.deepEqual(run(PIXELS, { lesionThreshold: 0.05, hoThreshold: 0.3 }).labels, [2, 2, 2, 2]);
});

test('a decision rule needs 3 classes', () => {
  assert.throws(
    () =>
      postprocessSlice(new Float32Array(8), 0, 2, 2, 2, {
        size: [2, 2, 1],
        k: 0,
        box: { rowStart: 0, colStart: 0, side: 2 },
        labels: new Uint8Array(4),
        classLabels: [0, 1],
        decision: { lesionThreshold: 0.5, hoThreshold: 0.5 },
      }),
    /3 classes/,
  );
});

test('z smoothing: a lesion column alternating GGO/HO takes the class of its mean; background stays', () => {
  // one voxel column (1×1×6): lesion in k = 0..4 with p(HO | lesion) alternating, background at k = 5
  const labels = Uint8Array.from([1, 2, 1, 2, 1, 0]);
  const split = Uint8Array.from([100, 140, 100, 140, 100, 0]);
  smoothLesionClassAlongZ(labels, split, [1, 1, 6], 1, 0.5);
  // means over lesion neighbours: k0 (100+140)/2=120 → GGO; k1 113 → GGO; k2 127 → GGO; k3 113; k4 120
  assert.deepEqual([...labels], [1, 1, 1, 1, 1, 0]);
  const strong = Uint8Array.from([2, 1, 2, 1, 2, 0]);
  smoothLesionClassAlongZ(strong, Uint8Array.from([250, 120, 250, 120, 250, 0]), [1, 1, 6], 1, 0.5);
  assert.deepEqual([...strong], [2, 2, 2, 2, 2, 0]);
});

test('z smoothing: radius 0 changes nothing; columns are independent; bad sizes are refused', () => {
  const labels = Uint8Array.from([1, 2, 2, 1]);
  smoothLesionClassAlongZ(labels, Uint8Array.from([0, 255, 255, 0]), [2, 1, 2], 0, 0.5);
  assert.deepEqual([...labels], [1, 2, 2, 1]);
  // 2 columns (i = 0, 1) × 2 slices: column 0 = [GGO 10, HO 255] → mean 132.5 ≥ 127.5 → HO; column 1 = [HO 255, GGO 0] → 127.5 → HO
  smoothLesionClassAlongZ(labels, Uint8Array.from([10, 255, 255, 0]), [2, 1, 2], 1, 0.5);
  assert.deepEqual([...labels], [2, 2, 2, 2]);
  assert.throws(() => smoothLesionClassAlongZ(labels, new Uint8Array(3), [2, 1, 2], 1, 0.5), RangeError);
  assert.throws(() => smoothLesionClassAlongZ(labels, new Uint8Array(4), [2, 1, 2], -1, 0.5), RangeError);
});
