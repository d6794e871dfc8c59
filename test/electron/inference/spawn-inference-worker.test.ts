import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { inferenceWorkerOptions } from '../../../electron/services/inference/spawn-inference-worker.ts';
import type { FromWorker, RunRequest } from '../../../electron/workers/inference-protocol.ts';

test('bundled (.js) worker and a parent already under tsx inherit execArgv', () => {
  assert.equal(inferenceWorkerOptions(false, []).execArgv, undefined);
  assert.equal(inferenceWorkerOptions(true, ['--import', 'tsx']).execArgv, undefined);
  assert.equal(inferenceWorkerOptions(true, ['--require', '/x/node_modules/tsx/dist/preflight.cjs']).execArgv, undefined);
});

test('a .ts worker under a parent without tsx gets the absolute tsx loader, and that worker really starts', async () => {
  const options = inferenceWorkerOptions(true, []);
  assert.equal(options.execArgv?.[0], '--import');
  assert.match(options.execArgv[1] ?? '', /^file:\/\/.*\/node_modules\/tsx\/dist\/loader\.mjs$/);
  // start the real worker with exactly these options (not inherited) and ask it for a run that
  // fails fast on a missing model: the answer proves the TypeScript worker loaded and runs
  const worker = new Worker(new URL('../../../electron/workers/inference-worker.ts', import.meta.url), {
    ...options,
    execArgv: options.execArgv,
  });
  try {
    const reply = new Promise<FromWorker>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'error') resolve(m);
      });
      worker.once('error', reject);
    });
    const req = {
      type: 'run',
      runId: 1,
      modelPath: '/nonexistent/model.onnx',
      sha256: '0'.repeat(64),
      metadata: {} as RunRequest['metadata'],
      providers: ['cpu'],
      threads: 1,
      batchSize: 1,
      mirrorAverage: false,
      cancel: new SharedArrayBuffer(4),
      size: [1, 1, 1],
      volume: new Int16Array(1),
      lungMask: null,
    } satisfies RunRequest;
    worker.postMessage(req);
    const m = await reply;
    assert.ok(m.type === 'error' && m.code === 'model-missing', JSON.stringify(m));
  } finally {
    await worker.terminate();
  }
});
