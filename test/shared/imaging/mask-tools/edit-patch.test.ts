import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyPatch,
  composePatches,
  emptyPatch,
  patchByteLength,
  validatePatch,
  type EditPatch,
} from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import { PatchBuilder } from '../../../../shared/imaging/mask-tools/patch-builder.ts';
import { prng } from './support.ts';

const patch = (indices: number[], before: number[], after: number[]): EditPatch => ({
  indices: Uint32Array.from(indices),
  before: Uint8Array.from(before),
  after: Uint8Array.from(after),
});

test('applyPatch forward and backward are exact and cost 6 bytes per voxel', () => {
  const labels = Uint8Array.from([0, 1, 2, 0, 0, 2]);
  const p = patch([0, 2, 5], [0, 2, 2], [1, 0, 1]);
  applyPatch(labels, p, 'forward');
  assert.deepEqual([...labels], [1, 1, 0, 0, 0, 1]);
  applyPatch(labels, p, 'backward');
  assert.deepEqual([...labels], [0, 1, 2, 0, 0, 2]);
  assert.equal(patchByteLength(p), 18);
});

test('applyPatch refuses a map that does not match, without touching it', () => {
  const labels = Uint8Array.from([0, 1, 2, 0]);
  const p = patch([0, 3], [0, 1], [2, 2]); // voxel 3 holds 0, the patch expects 1
  assert.throws(
    () => applyPatch(labels, p, 'forward'),
    (e: unknown) => e instanceof MaskToolError && e.code === 'patch-conflict',
  );
  assert.deepEqual([...labels], [0, 1, 2, 0]);
  assert.throws(
    () => applyPatch(new Uint8Array(2), p, 'forward'),
    (e: unknown) => e instanceof MaskToolError && e.code === 'size-mismatch',
  );
  applyPatch(labels, p, 'forward', { verify: false });
  assert.deepEqual([...labels], [2, 1, 2, 2]);
});

test('composePatches equals applying the patches one after another, dropping net no-ops', () => {
  const rand = prng(9);
  for (let trial = 0; trial < 50; trial++) {
    const n = 40;
    const start = Uint8Array.from({ length: n }, () => Math.floor(rand() * 3));
    const labels = start.slice();
    const patches: EditPatch[] = [];
    const count = 1 + Math.floor(rand() * 7);
    for (let m = 0; m < count; m++) {
      const builder = new PatchBuilder();
      for (let x = 0; x < n; x++) {
        if (rand() < 0.3) {
          const to = Math.floor(rand() * 3);
          if (to !== labels[x]) {
            builder.push(x, labels[x]!, to);
            labels[x] = to;
          }
        }
      }
      patches.push(builder.build());
    }
    const composed = composePatches(patches);
    validatePatch(composed, n);
    const replay = start.slice();
    applyPatch(replay, composed, 'forward');
    assert.deepEqual(replay, labels);
    for (let x = 0; x < n; x++) assert.equal(composed.indices.includes(x), start[x] !== labels[x]);
    applyPatch(replay, composed, 'backward');
    assert.deepEqual(replay, start);
  }
  assert.deepEqual(composePatches([]), emptyPatch());
  assert.throws(() => composePatches([patch([1], [0], [1]), patch([1], [2], [0])]), MaskToolError);
});

test('validatePatch and PatchBuilder enforce the invariants', () => {
  assert.throws(() => validatePatch(patch([2, 1], [0, 0], [1, 1]), 5), /strictly increasing/);
  assert.throws(() => validatePatch(patch([1], [1], [1]), 5), /does not change/);
  assert.throws(() => validatePatch(patch([7], [0], [1]), 5), /outside/);
  assert.throws(() => validatePatch({ indices: Uint32Array.of(1), before: Uint8Array.of(0), after: new Uint8Array(0) }, 5), /length/);
  const builder = new PatchBuilder(1);
  for (let x = 0; x < 100; x++) builder.push(x * 2, 0, 1);
  assert.equal(builder.build().indices.length, 100);
  assert.throws(() => builder.push(10, 0, 1), MaskToolError);
});
