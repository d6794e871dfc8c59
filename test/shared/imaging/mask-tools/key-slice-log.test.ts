import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composePatches, type EditPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { interpolateSlices } from '../../../../shared/imaging/mask-tools/interpolate.ts';
import { KeySliceLog, marksOfPatch } from '../../../../shared/imaging/mask-tools/key-slice-log.ts';
import { paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import { UndoStack } from '../../../../shared/imaging/mask-tools/undo-stack.ts';
import { countLabel, labelMapOf } from './support.ts';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';

/** Voxels of `label` in axial slice k. */
function countInSlice(map: LabelMap, k: number, label: number): number {
  const n = map.size[0] * map.size[1];
  let c = 0;
  for (let p = k * n; p < (k + 1) * n; p++) if (map.data[p] === label) c++;
  return c;
}

/** A reader's session: labels, undo history and key-slice log moving together (as EditSession). */
function session(map: LabelMap) {
  const history = new UndoStack({ voxelCount: map.data.length });
  const log = new KeySliceLog();
  const position = (): number => history.undoCount + history.droppedCount;
  return {
    history,
    log,
    position,
    disc(k: number, value: number, centre: [number, number], radiusMm: number): EditPatch {
      const patch = paintStroke(
        map,
        { frame: 'ijk', points: [[centre[0], centre[1], k]] },
        { radiusMm, shape: 'circle', plane: 'axial', value, overwrite: 'overwrite-all' },
      );
      log.record(position(), marksOfPatch(patch, 'axial', k));
      history.push(patch, `disc ${value} @${k}`);
      return patch;
    },
    keys(): Map<number, number[]> {
      return new Map(log.labels(position(), 'axial').map((l) => [l, log.keySlices(position(), 'axial', l)]));
    },
  };
}

test('marksOfPatch names every class the patch added or removed', () => {
  const patch: EditPatch = { indices: Uint32Array.of(3, 9), before: Uint8Array.of(0, 2), after: Uint8Array.of(1, 1) };
  assert.deepEqual(marksOfPatch(patch, 'coronal', 7), [
    { plane: 'coronal', label: 1, slice: 7 },
    { plane: 'coronal', label: 2, slice: 7 },
  ]);
  assert.deepEqual(marksOfPatch(composePatches([]), 'axial', 1), []);
});

test('two classes edited on different slices: each is filled between its own slices, no holes', () => {
  const map = labelMapOf([32, 32, 24], [1, 1, 1]);
  const s = session(map);
  s.disc(2, 1, [10, 10], 4); // GGO on 2 and 12
  s.disc(12, 1, [10, 10], 4);
  s.disc(6, 2, [22, 22], 4); // high opacity on 6 and 18
  s.disc(18, 2, [22, 22], 4);
  const keys = s.keys();
  assert.deepEqual(
    keys,
    new Map([
      [1, [2, 12]],
      [2, [6, 18]],
    ]),
  );
  const r = interpolateSlices(map, { plane: 'axial', keySlicesByClass: keys, overwrite: 'only-empty' });
  for (let k = 2; k <= 12; k++) assert.ok(countInSlice(map, k, 1) > 30, `GGO in slice ${k}`);
  for (let k = 6; k <= 18; k++) assert.ok(countInSlice(map, k, 2) > 30, `high opacity in slice ${k}`);
  assert.equal(countInSlice(map, 14, 1), 0);
  assert.equal(countInSlice(map, 4, 2), 0);
  assert.deepEqual(
    r.gaps.map((g) => [g.label, g.fromSlice, g.toSlice]),
    [
      [1, 2, 12],
      [2, 6, 18],
    ],
  );

  // The old behaviour (one key list for all classes) left GGO holes at the high-opacity slices.
  const legacy = labelMapOf([32, 32, 24], [1, 1, 1]);
  const t = session(legacy);
  t.disc(2, 1, [10, 10], 4);
  t.disc(12, 1, [10, 10], 4);
  t.disc(6, 2, [22, 22], 4);
  interpolateSlices(legacy, { plane: 'axial', keySlices: [2, 6, 12, 18], classes: [1] });
  assert.equal(countInSlice(legacy, 6, 1), 0, 'merged key lists make slice 6 a "no GGO" key');
});

test('undone edits are forgotten, redone ones come back, a new edit drops the redo branch', () => {
  const map = labelMapOf([24, 24, 16], [1, 1, 1]);
  const s = session(map);
  s.disc(2, 1, [12, 12], 3);
  s.disc(8, 1, [12, 12], 3);
  s.disc(14, 1, [12, 12], 3);
  assert.deepEqual(s.keys().get(1), [2, 8, 14]);
  s.history.undo(map.data); // the slice-14 disc is gone …
  assert.deepEqual(s.keys().get(1), [2, 8]);
  const r = interpolateSlices(map, { plane: 'axial', keySlicesByClass: s.keys() });
  for (let k = 9; k < 16; k++) assert.equal(countInSlice(map, k, 1), 0, `nothing past slice 8 (k=${k})`);
  assert.ok(countInSlice(map, 5, 1) > 10);
  s.log.record(s.position(), []);
  s.history.push(r.patch, 'interpolate');
  s.history.undo(map.data);
  s.history.redo(map.data);
  assert.deepEqual(s.keys().get(1), [2, 8]);
  s.history.undo(map.data);
  s.history.undo(map.data);
  assert.deepEqual(s.keys().get(1), [2]);
  s.history.redo(map.data);
  assert.deepEqual(s.keys().get(1), [2, 8]);
  s.disc(11, 1, [12, 12], 3); // drops the redo branch (interpolation, slice 14)
  assert.deepEqual(s.keys().get(1), [2, 8, 11]);
  s.history.undo(map.data);
  s.history.redo(map.data);
  assert.deepEqual(s.keys().get(1), [2, 8, 11]);
  assert.ok(countLabel(map.data, 1) > 0);
});

test('keySlicesByClass is checked like keySlices', () => {
  const map = labelMapOf([8, 8, 4]);
  assert.throws(() => interpolateSlices(map, { plane: 'axial', keySlicesByClass: new Map([[1, [0, 9]]]) }), /key slice 9/);
});
