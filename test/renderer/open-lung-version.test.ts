// Reopening a lung version in the lung edit session: its labels replace the session's as one step
// the patch listeners see (burden and 3-D view follow), the session is clean afterwards, a version
// bound by a signature opens read-only, and unsaved lung edits are kept when the reader declines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditSession } from '../../renderer/tools/edit-session.ts';
import { openLungVersion } from '../../renderer/features/review/open-lung-version.ts';
import type { LabelVersionInfo } from '../../shared/domain/case.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';

const g: VolumeGeometry = { size: [4, 4, 2], spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const older = Uint8Array.from({ length: 32 }, (_, q) => (q < 8 ? 1 : q < 16 ? 2 : 0));
const v1 = { id: 1, version: 1, kind: 'lung' } as unknown as LabelVersionInfo;
const load = async (_v: LabelVersionInfo, n: number): Promise<Uint8Array> => {
  assert.equal(n, 32);
  return older.slice();
};

test('an unsigned lung version opens editable, as one patch, clean', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(32).fill(1) }, true);
  let patched = 0;
  s.onPatch((p) => (patched += p.indices.length));
  assert.equal(await openLungVersion(v1, s, false, load, () => true), true);
  assert.deepEqual(s.labels.data, older);
  assert.equal(patched, 24); // voxels 8…31 changed (1 → 2 or 0)
  assert.equal(s.state.get().dirty, false);
  assert.equal(s.state.get().editable, true);
});

test('a lung version bound by a signature opens read-only', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(32) }, true);
  assert.equal(await openLungVersion(v1, s, true, load, () => true), true);
  assert.deepEqual(s.labels.data, older);
  assert.equal(s.state.get().editable, false);
  assert.throws(() => s.commit('paint', { indices: Uint32Array.of(0), before: Uint8Array.of(1), after: Uint8Array.of(0) }), /read-only/);
});

test('unsaved lung edits stay when the reader declines to discard them', async () => {
  const s = new EditSession({ ...g, data: new Uint8Array(32) }, true);
  s.labels.data[3] = 2;
  s.commit('paint', { indices: Uint32Array.of(3), before: Uint8Array.of(0), after: Uint8Array.of(2) });
  assert.equal(await openLungVersion(v1, s, false, load, () => false), false);
  assert.equal(s.labels.data[3], 2);
  assert.equal(s.state.get().dirty, true);
});
