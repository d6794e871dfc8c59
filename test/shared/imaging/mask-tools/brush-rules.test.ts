import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import type { Vec3 } from '../../../../shared/domain/volume.ts';
import { eraseStroke, paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import { applyPatch, composePatches } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import { bruteSphere, countLabel, forEachVoxel, labelMapOf } from './support.ts';

// The brush as an editing tool: overwrite rules, eraser, editable mask, composed patches, bad input.

test('overwrite rules, eraser and editable mask', () => {
  const base = labelMapOf([12, 12, 3]);
  // Left half class 2, a column of class 1.
  forEachVoxel(base, (i, j, _k, index) => {
    if (i < 6) base.data[index] = 2;
    if (j === 3) base.data[index] = 1;
  });
  const stroke = {
    frame: 'ijk' as const,
    points: [
      [2, 6, 1],
      [9, 6, 1],
    ] as Vec3[],
  };
  const options = { radiusMm: 3, shape: 'sphere' as const };
  const covered = bruteSphere(base, stroke.points, 3);
  const copy = (): LabelMap => ({ ...base, data: base.data.slice() });

  const all = copy();
  const pAll = paintStroke(all, stroke, { ...options, value: 1, overwrite: 'overwrite-all' });
  assert.equal(pAll.indices.length, covered.filter((x) => base.data[x] !== 1).length);

  const empty = copy();
  const pEmpty = paintStroke(empty, stroke, { ...options, value: 1, overwrite: 'only-empty' });
  assert.equal(pEmpty.indices.length, covered.filter((x) => base.data[x] === 0).length);
  assert.ok(pEmpty.before.every((v) => v === 0));
  assert.equal(countLabel(empty.data, 2), countLabel(base.data, 2), 'class 2 protected');

  const onlyTwo = copy();
  const pTwo = paintStroke(onlyTwo, stroke, { ...options, value: 1, overwrite: 'only-class-2' });
  assert.equal(pTwo.indices.length, covered.filter((x) => base.data[x] === 2).length);
  assert.ok(pTwo.before.every((v) => v === 2));

  const erased = copy();
  const pErase = eraseStroke(erased, stroke, { ...options, overwrite: 'only-class-1' });
  assert.equal(pErase.indices.length, covered.filter((x) => base.data[x] === 1).length);
  assert.equal(countLabel(erased.data, 2), countLabel(base.data, 2), 'eraser restricted to class 1 keeps class 2');

  const masked = copy();
  const lung = new Uint8Array(base.data.length);
  forEachVoxel(base, (i, _j, _k, index) => (lung[index] = i >= 4 && i <= 7 ? 1 : 0));
  const pMask = paintStroke(masked, stroke, { ...options, value: 1, editableMask: lung });
  assert.equal(pMask.indices.length, covered.filter((x) => lung[x] === 1 && base.data[x] !== 1).length);

  // Undo restores byte-identical arrays.
  for (const [map, patch] of [
    [all, pAll],
    [empty, pEmpty],
    [onlyTwo, pTwo],
    [erased, pErase],
    [masked, pMask],
  ] as const) {
    applyPatch(map.data, patch, 'backward');
    assert.deepEqual(map.data, base.data);
  }
});

test('per-segment painting composed into one step equals painting the whole stroke', () => {
  const points: Vec3[] = [
    [3, 3, 3],
    [10, 5, 4],
    [14, 12, 4],
    [6, 14, 5],
  ];
  const whole = labelMapOf([18, 18, 9], [0.8, 0.8, 1.5]);
  const wholePatch = paintStroke(whole, { frame: 'ijk', points }, { value: 1, radiusMm: 2.5, shape: 'sphere' });
  const pieces = labelMapOf([18, 18, 9], [0.8, 0.8, 1.5]);
  const parts = [];
  for (let m = 0; m + 1 < points.length; m++) {
    parts.push(paintStroke(pieces, { frame: 'ijk', points: [points[m]!, points[m + 1]!] }, { value: 1, radiusMm: 2.5, shape: 'sphere' }));
  }
  assert.deepEqual(pieces.data, whole.data);
  assert.deepEqual(composePatches(parts), wholePatch);
});

test('strokes outside the volume change nothing; bad options throw before any change', () => {
  const map = labelMapOf([8, 8, 8]);
  assert.equal(paintStroke(map, { frame: 'ijk', points: [[40, 40, 40]] }, { value: 1, radiusMm: 2, shape: 'sphere' }).indices.length, 0);
  assert.equal(
    paintStroke(map, { frame: 'ijk', points: [[4, 4, 20]] }, { value: 1, radiusMm: 50, shape: 'circle', plane: 'axial' }).indices.length,
    0,
  );
  const bad: [string, () => unknown][] = [
    ['radius 0', () => paintStroke(map, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 1, radiusMm: 0, shape: 'sphere' })],
    ['circle without plane', () => paintStroke(map, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 1, radiusMm: 2, shape: 'circle' })],
    ['value 256', () => paintStroke(map, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 256, radiusMm: 2, shape: 'sphere' })],
    ['NaN point', () => paintStroke(map, { frame: 'ijk', points: [[NaN, 4, 4]] }, { value: 1, radiusMm: 2, shape: 'sphere' })],
    ['no points', () => paintStroke(map, { frame: 'ijk', points: [] }, { value: 1, radiusMm: 2, shape: 'sphere' })],
    [
      'mask size',
      () =>
        paintStroke(
          map,
          { frame: 'ijk', points: [[4, 4, 4]] },
          { value: 1, radiusMm: 2, shape: 'sphere', editableMask: new Uint8Array(3) },
        ),
    ],
    [
      'rule',
      () =>
        paintStroke(map, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 1, radiusMm: 2, shape: 'sphere', overwrite: 'only-class-300' }),
    ],
    [
      'data length',
      () =>
        paintStroke({ ...map, data: new Uint8Array(5) }, { frame: 'ijk', points: [[4, 4, 4]] }, { value: 1, radiusMm: 2, shape: 'sphere' }),
    ],
  ];
  for (const [what, f] of bad) assert.throws(f, MaskToolError, what);
  assert.equal(countLabel(map.data, 0), map.data.length);
});
