import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StackSlice } from '../../../shared/dicom/stack-slice.ts';
import { SliceSlabs } from '../../../shared/dicom/slice-slab.ts';

const fake = (hu: Int16Array): StackSlice => ({ hu }) as unknown as StackSlice;

test('a stack filling its slab is reordered in place and returned with an exact-size buffer', () => {
  const slabs = new SliceSlabs(5);
  const planes = [3, 0, 4, 1, 2].map((v) => {
    const p = slabs.allocate(4);
    p.fill(v);
    return p;
  });
  // k order: values 0,1,2,3,4 → planes[1], planes[3], planes[4], planes[0], planes[2]
  const ordered = [1, 3, 4, 0, 2].map((i) => fake(planes[i]!));
  const data = slabs.gather(ordered, 4);
  assert.deepEqual([...data], [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
  assert.equal(data.buffer.byteLength, data.byteLength);
});

test('a slab larger than its stack is shrunk; slabs shared by two stacks fall back to copies', () => {
  const slabs = new SliceSlabs(6);
  const a = [slabs.allocate(2).fill(1), slabs.allocate(2).fill(2)];
  const d = slabs.gather(a.map(fake), 2);
  assert.deepEqual([...d], [1, 1, 2, 2]);
  assert.equal(d.buffer.byteLength, 8);
  const mixed = new SliceSlabs(4);
  const x = [mixed.allocate(2).fill(5), mixed.allocate(2).fill(6), mixed.allocate(2).fill(7)];
  const first = mixed.gather([x[2]!, x[0]!].map(fake), 2);
  assert.deepEqual([...first], [7, 7, 5, 5]);
  assert.deepEqual([...x[1]!], [6, 6], 'the other stack is untouched');
  assert.deepEqual([...mixed.gather([x[1]!].map(fake), 2)], [6, 6]);
});

test('without a hint, slabs of 64 planes are used and planes of different sizes never share one', () => {
  const slabs = new SliceSlabs(0);
  const p = slabs.allocate(3);
  const q = slabs.allocate(5);
  assert.equal(p.length, 3);
  assert.equal(q.length, 5);
  assert.notEqual(p.buffer, q.buffer);
});
