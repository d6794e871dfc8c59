import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockGrid, fillGrids } from '../../renderer/viewer/block-grid.ts';

test('one-pass block counts equal a voxel-by-voxel count, per label value, with padding blocks', () => {
  const size: [number, number, number] = [37, 23, 11];
  const n = size[0] * size[1] * size[2];
  const labels = new Uint8Array(n);
  let s = 3;
  for (let p = 0; p < n; p++) {
    s = (s * 1103515245 + 12345) >>> 0;
    if (s % 5 === 0) labels[p] = 1 + ((s >>> 9) % 3); // values 1..3; 3 is not counted
  }
  const f = 4;
  const ggo = new BlockGrid(size, f);
  const high = new BlockGrid(size, f);
  ggo.counts.fill(99); // stale counts are cleared
  fillGrids(labels, [null, ggo, high]);
  const want1 = new Uint16Array(ggo.counts.length);
  const want2 = new Uint16Array(ggo.counts.length);
  for (let p = 0; p < n; p++) {
    if (labels[p] === 1) want1[ggo.blockOf(p)]!++;
    else if (labels[p] === 2) want2[ggo.blockOf(p)]!++;
  }
  assert.deepEqual(ggo.counts, want1);
  assert.deepEqual(high.counts, want2);
  // the same grid for two values (lung: 1 right, 2 left)
  const lung = new BlockGrid(size, f);
  fillGrids(labels, [null, lung, lung]);
  assert.deepEqual(
    lung.counts,
    want1.map((c, b) => c + want2[b]!),
  );
  // padding blocks stay empty
  assert.equal(ggo.counts[0], 0);
});
