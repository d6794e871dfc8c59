// Background threads yield the CPU to the reader's work: lowerThreadPriority lowers the nice value
// of the calling thread only (Linux: per thread), not of the process's main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/shared-data.ts';

test(
  'a worker lowers its own priority; the main thread keeps its own',
  { skip: process.platform !== 'linux' && 'per-thread nice values are Linux only' },
  async () => {
    const before = getPriority();
    const moduleUrl = pathToFileURL(join(REPO_ROOT, 'electron/workers/lower-thread-priority.ts')).href;
    const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    import(workerData.moduleUrl).then((m) => {
      const set = m.lowerThreadPriority(5);
      // field 19 of /proc/thread-self/stat is this thread's nice value
      const stat = readFileSync('/proc/thread-self/stat', 'utf8');
      const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      parentPort.postMessage({ set, nice });
    });
  `;
    const w = new Worker(source, { eval: true, workerData: { moduleUrl } });
    const r = await new Promise<{ set: number | null; nice: number }>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    assert.equal(r.set, Math.min(19, before + 5));
    assert.equal(r.nice, r.set, 'the worker thread runs at the lowered nice value');
    assert.equal(getPriority(), before, "the process's main thread is unchanged");
  },
);
