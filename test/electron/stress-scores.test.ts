// Scores of the segmentation stress test (scripts/stress-scores.ts): Dice ours vs Inf-Net style,
// bootstrap intervals deterministic and around the mean, paired differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapMean, pairedDifference, sliceDice } from '../../scripts/stress-scores.ts';

test('Dice of a slice: ours scores a class neither map has 1, Inf-Net style 0; binary truth scores the lesion only', () => {
  const truth = Uint8Array.from([1, 1, 0, 0]);
  const pred = Uint8Array.from([1, 2, 0, 0]);
  const d = sliceDice(pred, truth, true);
  assert.deepEqual(d.ggo, { ours: 2 / 3, infnet: 2 / 3 });
  assert.deepEqual(d.highOpacity, { ours: 0, infnet: 0 }, 'predicted high opacity, none true');
  assert.deepEqual(d.lesion, { ours: 1, infnet: 1 }, 'GGO and high opacity are both lesion');
  const none = sliceDice(Uint8Array.from([1, 0]), Uint8Array.from([1, 0]), true);
  assert.deepEqual(none.highOpacity, { ours: 1, infnet: 0 });
  assert.deepEqual(Object.keys(sliceDice(pred, truth, false)), ['lesion']);
});

test('bootstrap mean: deterministic given the seed, the interval holds the mean; a constant has no spread', () => {
  const v = Array.from({ length: 50 }, (_, i) => ((i * 37) % 11) / 10);
  const a = bootstrapMean(v, 7);
  assert.deepEqual(bootstrapMean(v, 7), a);
  assert.ok(a.lo < a.mean && a.mean < a.hi, JSON.stringify(a));
  assert.notDeepEqual(bootstrapMean(v, 8), a, 'another seed, other resamples');
  assert.deepEqual(bootstrapMean([0.5, 0.5, 0.5]), { mean: 0.5, lo: 0.5, hi: 0.5 });
  assert.ok(Number.isNaN(bootstrapMean([]).mean));
});

test('paired difference: slice by slice, so a uniform shift has no spread', () => {
  const ref = [0.1, 0.9, 0.4, 0.7];
  const d = pairedDifference(
    ref.map((v) => v - 0.25),
    ref,
  );
  assert.ok(Math.abs(d.mean + 0.25) < 1e-12 && Math.abs(d.lo + 0.25) < 1e-12 && Math.abs(d.hi + 0.25) < 1e-12, JSON.stringify(d));
  assert.throws(() => pairedDifference([1], [1, 2]), RangeError);
});
