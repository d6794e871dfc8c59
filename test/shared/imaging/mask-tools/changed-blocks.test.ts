// The blocks an edit session marks (shared/imaging/mask-tools/changed-blocks.ts): their patch turns
// the saved labels into the current ones exactly, whatever the edits (undone ones included); marks
// handed to a save in flight come back if it fails, and edits during it are kept for the next save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChangedBlocks } from '../../../../shared/imaging/mask-tools/changed-blocks.ts';
import { applyLabelPatch } from '../../../../shared/imaging/label-patch-format.ts';
import { mulberry32 } from '../../../../shared/util/mulberry32.ts';

test('random strokes (some undone): the patch of the marked blocks rebuilds the current labels from the saved ones', () => {
  const r = mulberry32(17);
  const n = 512 * 20 + 77; // a partial last block
  const saved = new Uint8Array(n).map(() => (r() < 0.05 ? 1 : 0));
  const labels = saved.slice();
  const blocks = new ChangedBlocks(n);
  for (let s = 0; s < 40; s++) {
    const start = Math.floor(r() * n);
    const idx = Uint32Array.from({ length: Math.min(n - start, 1 + Math.floor(r() * 900)) }, (_, k) => start + k);
    const before = labels.slice();
    for (const q of idx) labels[q] = Math.floor(r() * 3);
    blocks.mark(idx);
    if (r() < 0.3) labels.set(before); // undone: marked, values back
  }
  labels[n - 1] = 2;
  blocks.mark([n - 1]);
  const rebuilt = saved.slice();
  applyLabelPatch(rebuilt, blocks.patchOf(labels));
  assert.deepEqual(rebuilt, labels);
  assert.ok(
    blocks.runs().every((x, k, a) => k === 0 || x.start > a[k - 1]!.start + a[k - 1]!.length),
    'runs sorted, consecutive blocks merged',
  );
});

test('nothing marked is an empty patch; everything marked is the whole map', () => {
  const labels = new Uint8Array(3000).fill(1);
  const blocks = new ChangedBlocks(3000, 512);
  assert.equal(blocks.patchOf(labels).length, 8);
  blocks.markAll();
  assert.deepEqual(blocks.runs(), [{ start: 0, length: 3000 }]);
  const target = new Uint8Array(3000);
  applyLabelPatch(target, blocks.patchOf(labels));
  assert.deepEqual(target, labels);
  assert.throws(() => blocks.mark([3000]), RangeError);
  assert.throws(() => blocks.patchOf(new Uint8Array(10)), /label map has 10 voxels/);
});

test('take hands the marks to a save; edits during it stay marked; restore gives them back after a failure', () => {
  const blocks = new ChangedBlocks(512 * 10);
  blocks.mark([5, 600]);
  const taken = blocks.take();
  assert.equal(taken.count, 2);
  assert.equal(blocks.count, 0);
  blocks.mark([1030]); // an edit while the save runs
  assert.deepEqual(blocks.runs(taken), [{ start: 0, length: 1024 }]);
  blocks.restore(taken);
  assert.equal(blocks.count, 3);
  assert.deepEqual(blocks.runs(), [{ start: 0, length: 1536 }]);
});
