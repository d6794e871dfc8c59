// The patch format the renderer sends and the store keeps (shared/imaging/label-patch-format.ts):
// encode → apply is exact, for an empty patch, a whole-map patch and random edits; a patch of the
// wrong length or corrupt bytes is refused before any voxel is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLabelPatch, encodeLabelPatch, labelPatchRuns, LABEL_PATCH_MAGIC } from '../../../shared/imaging/label-patch-format.ts';
import { mulberry32 } from '../../../shared/util/mulberry32.ts';

test('random runs: applying the patch to the base gives the new map byte for byte', () => {
  const r = mulberry32(3);
  const n = 40 * 30 * 7;
  for (let trial = 0; trial < 30; trial++) {
    const base = new Uint8Array(n).map(() => (r() < 0.2 ? 1 + Math.floor(r() * 2) : 0));
    const next = base.slice();
    const runs: { start: number; length: number }[] = [];
    let at = Math.floor(r() * 50);
    while (at < n) {
      const length = Math.min(n - at, 1 + Math.floor(r() * 300));
      next.fill(Math.floor(r() * 3), at, at + length);
      runs.push({ start: at, length });
      at += length + 1 + Math.floor(r() * 2000);
    }
    const target = base.slice();
    const applied = applyLabelPatch(target, encodeLabelPatch(runs, next));
    assert.deepEqual(target, next);
    assert.equal(applied.firstVoxel, runs[0]?.start ?? n);
    assert.equal(
      applied.voxels,
      runs.reduce((s, x) => s + x.length, 0),
    );
  }
});

test('an empty patch is the 8-byte header and changes nothing', () => {
  const base = new Uint8Array(1000).fill(2, 10, 20);
  const patch = encodeLabelPatch([], base);
  assert.equal(patch.length, 8);
  assert.equal(new DataView(patch.buffer).getUint32(0, true), LABEL_PATCH_MAGIC);
  const target = base.slice();
  assert.deepEqual(applyLabelPatch(target, patch), { firstVoxel: 1000, voxels: 0 });
  assert.deepEqual(target, base);
});

test('a whole-map patch replaces every voxel', () => {
  const n = 64 * 64 * 3;
  const next = new Uint8Array(n).map((_, i) => i % 3);
  const target = new Uint8Array(n).fill(1);
  applyLabelPatch(target, encodeLabelPatch([{ start: 0, length: n }], next));
  assert.deepEqual(target, next);
});

test('a patch made for a larger map (wrong length) is refused and nothing is written', () => {
  const big = new Uint8Array(2000).fill(1);
  const patch = encodeLabelPatch(
    [
      { start: 10, length: 5 },
      { start: 1500, length: 10 },
    ],
    big,
  );
  const small = new Uint8Array(1000);
  assert.throws(() => applyLabelPatch(small, patch), /outside the map of 1000 voxels/);
  assert.equal(
    small.reduce((s, v) => s + v, 0),
    0,
    'the first run was not applied either',
  );
  assert.throws(() => encodeLabelPatch([{ start: 990, length: 20 }], small), RangeError);
});

test('corrupt patches are refused: magic, truncation, trailing bytes, overlapping or unsorted runs', () => {
  const next = new Uint8Array(1000).fill(2, 100, 200);
  const good = encodeLabelPatch(
    [
      { start: 100, length: 50 },
      { start: 160, length: 40 },
    ],
    next,
  );
  const refused = (bytes: Uint8Array, message: RegExp): void => {
    const target = new Uint8Array(1000);
    assert.throws(() => applyLabelPatch(target, bytes), message);
    assert.ok(
      target.every((v) => v === 0),
      'nothing written',
    );
  };
  const mutated = (f: (p: Uint8Array, v: DataView) => void): Uint8Array => {
    const p = good.slice();
    f(p, new DataView(p.buffer));
    return p;
  };
  refused(new Uint8Array(0), /truncated/);
  refused(good.subarray(0, 7), /truncated/);
  refused(
    mutated((p) => (p[0] = 0x42)),
    /bad magic/,
  );
  refused(good.subarray(0, good.length - 1), /truncated/);
  refused(new Uint8Array([...good, 7]), /trailing bytes/);
  refused(
    mutated((_, v) => v.setUint32(4, 1_000_000, true)),
    /truncated/,
  );
  refused(
    mutated((_, v) => v.setUint32(16, 120, true)),
    /overlap or are not sorted/,
  );
  refused(
    mutated((_, v) => {
      v.setUint32(8, 160, true);
      v.setUint32(16, 100, true);
    }),
    /overlap or are not sorted/,
  );
  refused(
    mutated((_, v) => v.setUint32(12, 0xffffffff, true)),
    /outside the map|truncated/,
  );
  assert.deepEqual(labelPatchRuns(good, 1000), [
    { start: 100, length: 50 },
    { start: 160, length: 40 },
  ]);
});
