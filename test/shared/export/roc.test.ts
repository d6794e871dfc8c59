import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auroc, operatingPoint, rocCurve, RocError, rocSummary, thresholdForSensitivity } from '../../../shared/export/roc.ts';

// Hand-computed example: 4 positives, 4 negatives, one positive/negative tie at 0.7.
const scores = [0.9, 0.8, 0.7, 0.7, 0.6, 0.4, 0.3, 0.2];
const labels = [true, true, false, true, true, false, false, false];

test('ROC points step through distinct scores, ties in one diagonal step', () => {
  const pts = rocCurve(scores, labels).map((p) => [p.threshold, p.fpr, p.tpr]);
  assert.deepEqual(pts, [
    [Infinity, 0, 0],
    [0.9, 0, 0.25],
    [0.8, 0, 0.5],
    [0.7, 0.25, 0.75],
    [0.6, 0.25, 1],
    [0.4, 0.5, 1],
    [0.3, 0.75, 1],
    [0.2, 1, 1],
  ]);
});

test('AUROC by trapezoids equals the Mann-Whitney count with ties as 1/2 (14.5 / 16)', () => {
  assert.equal(auroc(rocCurve(scores, labels)), 14.5 / 16);
  // Perfect separation and all-tied scores.
  assert.equal(auroc(rocCurve([3, 2, 1, 0], [true, true, false, false])), 1);
  assert.equal(auroc(rocCurve([1, 1, 1, 1], [true, false, true, false])), 0.5);
});

test('operating point at a threshold (score >= threshold is positive)', () => {
  assert.deepEqual(operatingPoint(scores, labels, 0.7), {
    threshold: 0.7,
    sensitivity: 0.75,
    specificity: 0.75,
    tp: 3,
    fp: 1,
    tn: 3,
    fn: 1,
  });
});

test('threshold giving >= 95 % sensitivity is the highest such threshold', () => {
  const p = thresholdForSensitivity(scores, labels, 0.95);
  assert.equal(p.threshold, 0.6);
  assert.equal(p.sensitivity, 1);
  assert.equal(p.specificity, 0.75);
  const s = rocSummary(scores, labels, { threshold: 0.8 });
  assert.equal(s.positives, 4);
  assert.equal(s.atThreshold?.sensitivity, 0.5);
  assert.equal(s.atThreshold.specificity, 1);
  assert.equal(s.atTargetSensitivity.targetSensitivity, 0.95);
});

test('bad input is a RocError', () => {
  assert.throws(() => rocCurve([1, 2], [true, true]), RocError);
  assert.throws(() => rocCurve([1, Number.NaN], [true, false]), /finite/);
  assert.throws(() => rocCurve([1], [true, false]), /1 scores but 2 labels/);
});
