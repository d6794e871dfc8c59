import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DELTA_LINE, DELTA_PAGE, DELTA_PIXEL, WheelSteps, wheelDeltaPixels } from '../../renderer/viewer/wheel-steps.ts';

const sum = (w: WheelSteps, deltas: readonly number[], mode = DELTA_PIXEL, page = 600): number =>
  deltas.reduce((acc, d) => acc + w.add(d, mode, page), 0);

test('a mouse notch (100 px, or 3 lines) moves one slice; a fast spin reported as one big delta moves by its size', () => {
  assert.equal(new WheelSteps().add(100, DELTA_PIXEL, 600), 1);
  assert.equal(new WheelSteps().add(-100, DELTA_PIXEL, 600), -1);
  assert.equal(new WheelSteps().add(3, DELTA_LINE, 600), 1);
  assert.equal(new WheelSteps().add(500, DELTA_PIXEL, 600), 5, 'not one slice per event');
  assert.equal(new WheelSteps().add(-9, DELTA_LINE, 600), -3);
});

test('trackpad: many small deltas accumulate into slices, none lost', () => {
  const w = new WheelSteps();
  const deltas = Array.from({ length: 100 }, () => 4); // 400 px of travel in 4-px events
  assert.equal(sum(w, deltas), 4);
  assert.equal(
    sum(
      new WheelSteps(),
      Array.from({ length: 30 }, () => 3),
    ),
    0,
    '90 px is not yet a slice',
  );
});

test('page mode uses the view height; a platform notch of 53 px still moves one slice', () => {
  assert.equal(new WheelSteps().add(1, DELTA_PAGE, 600), 6);
  assert.equal(wheelDeltaPixels(2, DELTA_LINE, 600), 200 / 3);
  const w = new WheelSteps();
  assert.equal(sum(w, [53, 53, 53]), 3);
});

test('reversing direction drops the partial travel', () => {
  const w = new WheelSteps();
  assert.equal(sum(w, [40, 40]), 0);
  assert.equal(w.add(-30, DELTA_PIXEL, 600), 0);
  assert.equal(sum(w, [-30, -30, -10]), -1);
  assert.equal(w.add(Number.NaN, DELTA_PIXEL, 600), 0);
});
