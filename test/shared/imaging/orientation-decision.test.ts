import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideStoredOrientation,
  ORIENTATION_CLASSES,
  ORIENTATION_CONFIDENT_PROBABILITY,
} from '../../../shared/imaging/orientation-decision.ts';
import {
  estimateStoredOrientation,
  fromUpright,
  orientationName,
  type StoredOrientation,
} from '../../../shared/imaging/slice-orientation.ts';

/** Upright chest drawing in HU: body, lungs, spine posterior, heart to the patient's left (image right). */
function chest(cols: number, rows: number): Int16Array {
  const hu = new Int16Array(cols * rows).fill(-1000);
  const cx = cols / 2,
    cy = rows / 2;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const x = (c - cx) / (0.46 * cols),
        y = (r - cy) / (0.4 * rows);
      if (x * x + y * y >= 1) continue;
      let v = 40;
      const lx = (Math.abs(c - cx) - 0.22 * cols) / (0.16 * cols),
        ly = (r - cy) / (0.3 * rows);
      if (lx * lx + ly * ly < 1) v = -850;
      if (((c - cx - 0.08 * cols) / (0.1 * cols)) ** 2 + ((r - cy + 0.02 * rows) / (0.12 * rows)) ** 2 < 1) v = 40;
      if (((c - cx) / (0.06 * cols)) ** 2 + ((r - cy - 0.3 * rows) / (0.06 * rows)) ** 2 < 1) v = 700;
      hu[c + r * cols] = v;
    }
  return hu;
}

const one = (c: number, p: number): number[] => [0, 1, 2, 3].map((i) => (i === c ? p : (1 - p) / 3));
const classOf = (o: StoredOrientation): number => (o.transposed ? 2 : 0) + (o.upsideDown ? 1 : 0);

test('the classes are the 4 orientations up to left–right, index 2·transposed + upside-down', () => {
  assert.deepEqual(ORIENTATION_CLASSES.map(orientationName), ['upright', 'upside-down', 'transposed', 'transposed+upside-down']);
});

test('without a classifier the heuristic decides; with one, the classifier decides and left–right comes from the heart side', () => {
  const up = chest(120, 100);
  for (const o of [
    { transposed: true, upsideDown: true, mirrored: false },
    { transposed: false, upsideDown: true, mirrored: true },
  ]) {
    const s = fromUpright(up, 120, 100, o);
    const h = estimateStoredOrientation(s.data, s.cols, s.rows);
    const none = decideStoredOrientation(s.data, s.cols, s.rows, h, null);
    assert.deepEqual(none, {
      orientation: h.orientation,
      source: 'heuristic',
      heuristic: h.orientation,
      probability: null,
      agree: null,
      qcNote: null,
      leftRightScore: h.scores.patientLeftOnRight,
    });
    const d = decideStoredOrientation(s.data, s.cols, s.rows, h, one(classOf(o), 0.97));
    assert.equal(d.source, 'classifier');
    assert.deepEqual(d.orientation, o, orientationName(d.orientation));
    assert.ok(d.leftRightScore > 0 !== o.mirrored, 'the heart-side score has the sign of the left–right call');
    assert.equal(d.qcNote, null);
  }
});

test('a disagreement with an unconfident classifier gives a QC note; a confident one or an agreement does not', () => {
  const up = chest(120, 100);
  const h = estimateStoredOrientation(up, 120, 100);
  assert.equal(classOf(h.orientation), 0, 'the heuristic finds the drawing upright');
  const unsure = decideStoredOrientation(up, 120, 100, h, one(1, ORIENTATION_CONFIDENT_PROBABILITY - 0.05));
  assert.equal(unsure.agree, false);
  assert.equal(unsure.orientation.upsideDown, true, 'the classifier is followed');
  assert.match(unsure.qcNote ?? '', /orientation uncertain: classifier upside-down \(p 0\.75\) vs heuristic upright/);
  assert.equal(decideStoredOrientation(up, 120, 100, h, one(1, 0.95)).qcNote, null);
  const agree = decideStoredOrientation(up, 120, 100, h, one(0, 0.4));
  assert.equal(agree.agree, true);
  assert.equal(agree.qcNote, null);
  assert.throws(() => decideStoredOrientation(up, 120, 100, h, [0.5, 0.5]), /2 probabilities, expected 4/);
});
