// The review screen replaces its edit session (open another version, amend, sign, restore autosaved
// edits); the listeners of the replaced session must go with it, or its patches keep reaching the
// live burden, the 3D surface and the autosave of the new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditSession } from '../../renderer/tools/edit-session.ts';
import { createSessionBinding } from '../../renderer/features/review/session-binding.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [4, 4, 2], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

function paint(s: EditSession, q: number, v: number): void {
  const before = Uint8Array.of(s.labels.data[q] ?? 0);
  s.labels.data[q] = v;
  s.commit('paint', { indices: Uint32Array.of(q), before, after: Uint8Array.of(v) });
}

test('attach() keeps only the current session: a replaced session no longer reaches the hooks', () => {
  const seen = { patches: 0, states: 0 };
  const binding = createSessionBinding({
    onPatch: () => {
      seen.patches++;
    },
    onState: () => {
      seen.states++;
    },
  });
  const first = new EditSession({ ...g, data: new Uint8Array(32) }, true);
  binding.attach(first);
  paint(first, 1, 1);
  assert.equal(seen.patches, 1);
  const statesWithFirst = seen.states;
  assert.ok(statesWithFirst > 0, 'the state of the attached session is followed');

  const second = new EditSession({ ...g, data: new Uint8Array(32) }, true);
  binding.attach(second);
  seen.patches = 0;
  seen.states = 0;
  paint(first, 2, 2); // the replaced session (e.g. the version left behind) changes
  assert.equal(seen.patches, 0, 'patches of the replaced session are not applied to the new burden/surface');
  assert.equal(seen.states, 0, 'state changes of the replaced session do not re-sync the actions');
  paint(second, 3, 1);
  assert.equal(seen.patches, 1, 'exactly one listener per patch of the current session');

  // re-attaching the same session does not double its listeners
  binding.attach(second);
  seen.patches = 0;
  paint(second, 4, 1);
  assert.equal(seen.patches, 1);

  binding.dispose();
  seen.patches = 0;
  paint(second, 5, 1);
  assert.equal(seen.patches, 0, 'dispose removes the listeners of the current session');
});
