// Sparse label patches (migration 8): a diff finds exactly the changed voxels, applying the patch
// to the base gives the new map byte for byte, counts follow from the runs, and a malformed patch
// is refused (never applied half).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPatch,
  compressPatch,
  diffLabels,
  encodePatch,
  inflatePatch,
  patchedCounts,
} from '../../../electron/services/cases/label-patch.ts';
import { countLabels, decodeLabels, encodeLabelsAgainst, sha256Hex } from '../../../electron/services/cases/label-encoding.ts';
import { resumableSha256 } from '../../../electron/workers/resumable-sha256.ts';
import { mulberry32 as rng } from '../../../shared/util/mulberry32.ts';

test('random edits: the patch rebuilds the new map exactly; counts and sha256 follow', () => {
  const r = rng(7);
  const n = 64 * 64 * 20;
  const base = new Uint8Array(n);
  for (let i = 0; i < n; i++) base[i] = r() < 0.1 ? 1 + Math.floor(r() * 2) : 0;
  for (let trial = 0; trial < 20; trial++) {
    const next = base.slice();
    const strokes = 1 + Math.floor(r() * 6);
    for (let s = 0; s < strokes; s++) {
      const start = Math.floor(r() * n);
      next.fill(Math.floor(r() * 3), start, Math.min(n, start + Math.floor(r() * 5000)));
    }
    next[n - 1] = 2; // an edit on the very last voxel
    const diff = diffLabels(base, next);
    assert.ok(diff);
    let changed = 0;
    for (let i = 0; i < n; i++) if (base[i] !== next[i]) changed++;
    assert.equal(diff.changedVoxels, changed);
    const target = base.slice();
    applyPatch(target, inflatePatch(compressPatch(encodePatch(diff, next)), n));
    assert.deepEqual(target, next);
    assert.deepEqual(patchedCounts(countLabels(base), base, next, diff), countLabels(next));
    const enc = encodeLabelsAgainst(next, base, countLabels(base), n);
    assert.ok(enc);
    assert.equal(enc.digest, sha256Hex(next), 'the sha256 is of the FULL new map, not of the patch');
    // the stored form (snapshot + patch) decodes and verifies against that sha256
    const snapshot = compressPatch(base); // any deflate stream of the base map
    assert.deepEqual(decodeLabels({ data: snapshot, patches: [enc.blob], sha256: enc.digest, byteLength: n }, 'v'), next);
  }
});

test('an unchanged map is an empty patch; too many changes give null (a full snapshot is stored)', () => {
  const base = new Uint8Array(100_000);
  const same = diffLabels(base, base.slice());
  assert.ok(same);
  assert.equal(same.runs.length, 0);
  const next = base.slice();
  next.fill(1, 0, 20_000);
  assert.equal(diffLabels(base, next, 10_000), null);
  assert.equal(encodeLabelsAgainst(next, base, countLabels(base), 10_000), null);
  assert.throws(() => diffLabels(base, new Uint8Array(10)), /differ in length/);
});

test('a malformed patch is refused', () => {
  const base = new Uint8Array(1000);
  const next = base.slice();
  next.fill(2, 10, 20);
  const patch = encodePatch(diffLabels(base, next)!, next);
  const bad = (mutate: (p: Uint8Array) => Uint8Array): void =>
    assert.throws(() => applyPatch(base.slice(), mutate(patch.slice())), RangeError);
  bad((p) => ((p[0] = 0), p)); // magic
  bad((p) => p.subarray(0, p.length - 1)); // truncated payload
  bad((p) => new Uint8Array([...p, 0])); // trailing bytes
  bad((p) => (new DataView(p.buffer).setUint32(8, 995, true), p)); // run out of range
  // corrupt stored patch: decodeLabels reports the version corrupt
  assert.throws(
    () =>
      decodeLabels(
        { data: compressPatch(base), patches: [new Uint8Array([1, 2, 3])], sha256: sha256Hex(next), byteLength: 1000 },
        'label version 5',
      ),
    /label version 5 is corrupt/,
  );
});

test('the resumable sha256 equals a plain sha256, resumed from the unchanged bytes or not', () => {
  const r = rng(11);
  const n = (1 << 20) * 3 + 12345; // not a multiple of the state step
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i += 97) a[i] = Math.floor(r() * 3);
  const da = resumableSha256(a);
  assert.equal(da, sha256Hex(a));
  for (const at of [0, 5, (1 << 20) - 1, 1 << 20, 2 * (1 << 20) + 7, n - 1]) {
    const b = a.slice();
    b[at] = (b[at]! + 1) % 3;
    assert.equal(resumableSha256(b, { digest: da, firstChange: at }), sha256Hex(b), `edit at ${at}`);
  }
  assert.equal(resumableSha256(a, { digest: da, firstChange: n }), da, 'an unchanged map');
  assert.equal(resumableSha256(a, { digest: 'not kept', firstChange: 10 }), da, 'an unknown base: a full hash');
});
