import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackgroundQueue } from '../../../electron/app/background-queue.ts';

test('background work runs after the caller returns, in order; failures are reported; stop drops the rest', async () => {
  const errors: string[] = [];
  const q = new BackgroundQueue((what, e) => errors.push(`${what}: ${(e as Error).message}`));
  const order: number[] = [];
  q.run('one', () => order.push(1));
  q.run('bad', () => {
    throw new Error('boom');
  });
  q.run('two', () => order.push(2));
  assert.deepEqual([...order], [], 'nothing runs synchronously');
  await q.idle();
  assert.deepEqual([...order], [1, 2]);
  assert.deepEqual(errors, ['bad: boom']);
  q.run('three', () => order.push(3));
  q.stop();
  await q.idle();
  assert.deepEqual([...order], [1, 2]);
});
