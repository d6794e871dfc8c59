// A signed (read-only) edit session cannot change: no undo, no redo, no commit, never dirty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditSession } from '../../renderer/tools/edit-session.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [4, 4, 2], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

/** Writes value `v` at voxel `q` and returns the patch, as a tool does. */
function edit(s: EditSession, q: number, v: number) {
  const before = Uint8Array.of(s.labels.data[q] ?? 0);
  s.labels.data[q] = v;
  return { indices: Uint32Array.of(q), before, after: Uint8Array.of(v) };
}

test('an editable session undoes and redoes; made read-only, undo/redo are off and labels stay', () => {
  const s = new EditSession({ ...g, data: new Uint8Array(32) }, true);
  s.commit('paint', edit(s, 3, 1));
  s.commit('paint', edit(s, 4, 2));
  assert.equal(s.state.get().canUndo, true);
  assert.equal(s.undo(), true);
  assert.equal(s.labels.data[4], 0);
  assert.equal(s.state.get().canRedo, true);
  s.setEditable(false);
  const st = s.state.get();
  assert.equal(st.canUndo, false);
  assert.equal(st.canRedo, false);
  const snapshot = s.labels.data.slice();
  assert.equal(s.undo(), false);
  assert.equal(s.redo(), false);
  assert.deepEqual(s.labels.data, snapshot);
});

test('a signed session refuses commits and is never dirty', () => {
  const labels = new Uint8Array(32);
  labels[5] = 1;
  const s = new EditSession({ ...g, data: labels }, false);
  assert.equal(s.state.get().dirty, false);
  assert.throws(() => s.commit('paint', { indices: Uint32Array.of(6), before: Uint8Array.of(0), after: Uint8Array.of(1) }), /read-only/);
  assert.equal(s.state.get().dirty, false);
  assert.equal(s.state.get().canUndo, false);
});
