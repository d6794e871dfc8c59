import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import { paintStroke } from '../../../../shared/imaging/mask-tools/brush.ts';
import type { EditPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { floodFill } from '../../../../shared/imaging/mask-tools/flood-fill.ts';
import { interpolateSlices } from '../../../../shared/imaging/mask-tools/interpolate.ts';
import { removeIslands } from '../../../../shared/imaging/mask-tools/islands.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import { paintThresholdStroke } from '../../../../shared/imaging/mask-tools/threshold-brush.ts';
import { UndoStack } from '../../../../shared/imaging/mask-tools/undo-stack.ts';
import { labelMapOf, volumeOn } from './support.ts';

/** A session of every tool on a 40×36×14 map; returns the snapshots after each step. */
function session(map: LabelMap, stack: UndoStack): Uint8Array[] {
  const volume = volumeOn(map, (i, j) => -900 + 25 * i + 3 * j);
  const snapshots = [map.data.slice()];
  const record = (patch: EditPatch, name: string): void => {
    stack.push(patch, name, 1_700_000_000_000 + snapshots.length);
    snapshots.push(map.data.slice());
  };
  record(
    paintStroke(
      map,
      {
        frame: 'ijk',
        points: [
          [5, 5, 3],
          [30, 20, 4],
        ],
      },
      { value: 1, radiusMm: 3, shape: 'sphere' },
    ),
    'Brush',
  );
  record(paintStroke(map, { frame: 'ijk', points: [[8, 25, 9]] }, { value: 2, radiusMm: 4, shape: 'circle', plane: 'axial' }), 'Brush');
  record(paintStroke(map, { frame: 'ijk', points: [[8, 25, 12]] }, { value: 2, radiusMm: 5, shape: 'circle', plane: 'axial' }), 'Brush');
  record(interpolateSlices(map, { plane: 'axial', classes: [2] }).patch, 'Fill between slices');
  record(
    paintThresholdStroke(
      map,
      volume,
      { frame: 'ijk', points: [[20, 10, 7]] },
      { value: 1, radiusMm: 6, shape: 'sphere', huRange: { minHu: -600, maxHu: -300 } },
    ),
    'Threshold brush',
  );
  record(floodFill(map, [35, 33, 1], { value: 2, plane: 'axial', overwrite: 'only-empty' }).patch, 'Flood fill (2-D)');
  record(paintStroke(map, { frame: 'ijk', points: [[38, 2, 13]] }, { value: 1, radiusMm: 1, shape: 'sphere' }), 'Brush');
  record(removeIslands(map, { mode: 'remove-small', minVoxels: 20 }).patch, 'Remove islands');
  record(
    paintStroke(map, { frame: 'ijk', points: [[12, 12, 6]] }, { value: 0, radiusMm: 4, shape: 'sphere', overwrite: 'only-class-1' }),
    'Eraser',
  );
  return snapshots;
}

test('undo and redo through a whole session restore byte-identical arrays at every step', () => {
  const map = labelMapOf([40, 36, 14], [0.8, 0.8, 1.5]);
  const stack = new UndoStack({ voxelCount: map.data.length });
  const snapshots = session(map, stack);
  assert.equal(stack.undoCount, snapshots.length - 1);
  for (let s = snapshots.length - 2; s >= 0; s--) {
    assert.ok(stack.undo(map.data) !== null);
    assert.deepEqual(map.data, snapshots[s], `after undo to step ${s}`);
  }
  assert.equal(stack.undo(map.data), null);
  for (let s = 1; s < snapshots.length; s++) {
    assert.ok(stack.redo(map.data) !== null);
    assert.deepEqual(map.data, snapshots[s], `after redo to step ${s}`);
  }
  assert.equal(stack.redo(map.data), null);
  assert.deepEqual(
    stack
      .history()
      .map((h) => h.name)
      .slice(0, 4),
    ['Brush', 'Brush', 'Brush', 'Fill between slices'],
  );
});

test('pushing after undo drops the redo steps; empty patches are not recorded', () => {
  const map = labelMapOf([10, 10, 4]);
  const stack = new UndoStack({ voxelCount: map.data.length });
  stack.push(paintStroke(map, { frame: 'ijk', points: [[2, 2, 2]] }, { value: 1, radiusMm: 1, shape: 'sphere' }), 'a');
  stack.push(paintStroke(map, { frame: 'ijk', points: [[7, 7, 2]] }, { value: 1, radiusMm: 1, shape: 'sphere' }), 'b');
  stack.undo(map.data);
  assert.equal(stack.redoCount, 1);
  stack.push(paintStroke(map, { frame: 'ijk', points: [[5, 2, 1]] }, { value: 2, radiusMm: 1, shape: 'sphere' }), 'c');
  assert.equal(stack.redoCount, 0);
  assert.deepEqual(
    stack.history().map((h) => [h.name, h.applied]),
    [
      ['a', true],
      ['c', true],
    ],
  );
  assert.equal(
    stack.push(paintStroke(map, { frame: 'ijk', points: [[90, 90, 90]] }, { value: 1, radiusMm: 1, shape: 'sphere' }), 'nothing'),
    false,
  );
  assert.equal(stack.undoCount, 2);
});

test('the memory bound drops the oldest steps first and keeps the newest', () => {
  const map = labelMapOf([30, 30, 4]);
  const stack = new UndoStack({ voxelCount: map.data.length, maxBytes: 2000 });
  for (let m = 0; m < 10; m++) {
    stack.push(
      paintStroke(map, { frame: 'ijk', points: [[3 * m, 15, 2]] }, { value: 1 + (m % 2), radiusMm: 3, shape: 'circle', plane: 'axial' }),
      `stroke ${m}`,
    );
    assert.ok(stack.byteLength <= 2000 || stack.undoCount === 1);
  }
  assert.ok(stack.droppedCount > 0);
  assert.equal(stack.history().at(-1)!.name, 'stroke 9');
  const kept = stack.undoCount;
  while (stack.undo(map.data) !== null);
  assert.equal(stack.redoCount, kept);
  // One step larger than the bound is still kept (alone).
  const tiny = new UndoStack({ voxelCount: map.data.length, maxBytes: 10 });
  tiny.push(paintStroke(map, { frame: 'ijk', points: [[15, 15, 2]] }, { value: 2, radiusMm: 5, shape: 'sphere' }), 'big');
  assert.equal(tiny.undoCount, 1);
});

test('serialisation round trip restores the history, its position and its behaviour', () => {
  const map = labelMapOf([40, 36, 14], [0.8, 0.8, 1.5]);
  const stack = new UndoStack({ voxelCount: map.data.length, maxBytes: 5_000_000 });
  const snapshots = session(map, stack);
  stack.undo(map.data);
  stack.undo(map.data);
  const bytes = stack.toBytes();
  const restored = UndoStack.fromBytes(bytes, map.data.length);
  assert.deepEqual(restored.history(), stack.history());
  assert.equal(restored.maxBytes, 5_000_000);
  assert.equal(restored.byteLength, stack.byteLength);
  assert.deepEqual(restored.toBytes(), bytes, 'deterministic encoding');
  restored.redo(map.data);
  restored.redo(map.data);
  assert.deepEqual(map.data, snapshots.at(-1));
  while (restored.undo(map.data) !== null);
  assert.deepEqual(map.data, snapshots[0]);
  const changed = stack.history().reduce((n, h) => n + h.voxels, 0);
  assert.ok(bytes.length < changed * 3, `${bytes.length} bytes for ${changed} changed voxels`);
});

test('damaged or foreign history bytes are rejected with a clear error', () => {
  const map = labelMapOf([20, 20, 6]);
  const stack = new UndoStack({ voxelCount: map.data.length });
  stack.push(paintStroke(map, { frame: 'ijk', points: [[10, 10, 3]] }, { value: 1, radiusMm: 4, shape: 'sphere' }), 'Brush');
  const bytes = stack.toBytes();
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof MaskToolError) return e.code;
      throw e;
    }
    return 'no error';
  };
  assert.equal(
    code(() => UndoStack.fromBytes(bytes, map.data.length + 1)),
    'size-mismatch',
  );
  assert.equal(
    code(() => UndoStack.fromBytes(bytes.subarray(0, bytes.length - 3), map.data.length)),
    'corrupt-history',
  );
  assert.equal(
    code(() => UndoStack.fromBytes(new Uint8Array(40), map.data.length)),
    'corrupt-history',
  );
  const version = bytes.slice();
  version[4] = 9;
  assert.equal(
    code(() => UndoStack.fromBytes(version, map.data.length)),
    'corrupt-history',
  );
  for (let position = 12; position < bytes.length; position += 7) {
    const flipped = bytes.slice();
    flipped[position]! ^= 0x5a;
    assert.equal(
      code(() => UndoStack.fromBytes(flipped, map.data.length)),
      'corrupt-history',
      `byte ${position}`,
    );
  }
});

test('a conflicting undo leaves both the map and the stack unchanged', () => {
  const map = labelMapOf([10, 10, 4]);
  const stack = new UndoStack({ voxelCount: map.data.length });
  stack.push(paintStroke(map, { frame: 'ijk', points: [[5, 5, 2]] }, { value: 1, radiusMm: 2, shape: 'sphere' }), 'Brush');
  map.data[5 + 50 + 200] = 2; // changed behind the history's back
  const before = map.data.slice();
  assert.throws(
    () => stack.undo(map.data),
    (e: unknown) => e instanceof MaskToolError && e.code === 'patch-conflict',
  );
  assert.deepEqual(map.data, before);
  assert.equal(stack.undoCount, 1);
  assert.throws(() => stack.undo(new Uint8Array(3)), MaskToolError);
});
