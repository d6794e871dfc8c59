import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobManager } from '../../../electron/services/jobs/job-manager.ts';

const stopsAfter = (ms: number) => (ctx: { signal: AbortSignal }) =>
  new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => setTimeout(resolve, ms), { once: true }));

test('abortAllAndWait cancels the running jobs and returns once each has stopped', async () => {
  const finished: string[] = [];
  const jobs = new JobManager((info) => finished.push(info.state));
  const a = jobs.start('analyze', stopsAfter(50));
  const b = jobs.start('import', stopsAfter(120));
  const done = jobs.start('analyze', async () => undefined);
  await jobs.wait(done.id);
  assert.equal(await jobs.abortAllAndWait(5_000), true);
  assert.equal(jobs.get(a.id).state, 'cancelled');
  assert.equal(jobs.get(b.id).state, 'cancelled');
  assert.deepEqual(finished.sort(), ['cancelled', 'cancelled', 'done']);
});

test('abortAllAndWait gives up after its timeout on a job that ignores cancellation, and says so', async () => {
  const jobs = new JobManager();
  let release!: () => void;
  const stuck = jobs.start('analyze', () => new Promise<void>((r) => (release = r)));
  const t0 = performance.now();
  assert.equal(await jobs.abortAllAndWait(100), false);
  assert.ok(performance.now() - t0 >= 95);
  assert.equal(jobs.get(stuck.id).state, 'running');
  release();
  assert.equal((await jobs.wait(stuck.id)).state, 'cancelled');
});
