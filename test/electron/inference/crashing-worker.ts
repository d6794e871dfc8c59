/**
 * A stand-in for `electron/workers/inference-worker.ts` that dies mid-run, started by the crash
 * tests through `InferenceService`'s `workerUrl` option. It answers the first message with a
 * progress event, then (selected by the request's `threads`, a test-only convention):
 * 1 → throws an uncaught exception; 2 → `process.exit(7)`; 3 → exits cleanly (code 0) without a
 * result; 4 → never answers again (used with an abort); 5 → sends an all-background result, then
 * dies while idle (the service must not reuse the dead worker).
 */
import { parentPort } from 'node:worker_threads';
import type { RunRequest } from '../../../electron/workers/inference-protocol.ts';

parentPort!.on('message', (req: RunRequest) => {
  parentPort!.postMessage({
    type: 'progress',
    runId: req.runId,
    done: 0,
    total: req.size[2],
    etaS: null,
  });
  setTimeout(() => {
    if (req.threads === 1) throw new Error('simulated fault in the inference worker');
    if (req.threads === 2) process.exit(7);
    if (req.threads === 3) process.exit(0);
    if (req.threads === 4) setInterval(() => undefined, 1000);
    if (req.threads === 5) {
      const labels = new Uint8Array(req.volume.length);
      const timings = {
        sessionMs: 0,
        preprocessMs: 0,
        inferenceMs: 0,
        postprocessMs: 0,
        workerTotalMs: 0,
        slicesTotal: req.size[2],
        slicesInferred: 0,
        slicesSkipped: req.size[2],
        batches: 0,
      };
      parentPort!.postMessage(
        {
          type: 'result',
          runId: req.runId,
          labels,
          meanEntropy: 0,
          entropyVoxels: 0,
          provider: 'cpu',
          timings,
        },
        [labels.buffer],
      );
      setTimeout(() => process.exit(3), 20);
    }
  }, 10);
});
