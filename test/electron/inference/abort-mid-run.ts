// Child process of inference-service.test.ts: cancels the shipped model at different points of its
// runs, then disposes of a service while a run is in flight. Prints one line and exits 0 when the
// process survived all of it (a thread terminated inside onnxruntime-node aborts the process instead).
import { InferenceService } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { join } from 'node:path';

const bundle = await loadModelBundle(join(REPO_ROOT, 'models', 'lung-burden-convlstm-fast'));
const n = 256,
  k = 40;
const volume = {
  size: [n, n, k] as const,
  spacingMm: [1, 1, 1] as const,
  originLps: [0, 0, 0] as const,
  directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
  data: new Int16Array(n * n * k).fill(-850),
};
const service = new InferenceService({ logger: () => undefined });
let cancelled = 0;
for (let i = 0; i < 5; i++) {
  const c = new AbortController();
  const run = service.run(volume, null, bundle, {
    provider: 'cpu',
    threads: 2,
    batchSize: 8,
    signal: c.signal,
    onProgress: (p) => {
      if (p.done > 0) setTimeout(() => c.abort(), 5 + 17 * i);
    },
  });
  await run.then(
    () => undefined,
    (e: unknown) => {
      if ((e as Error).name === 'AbortError') cancelled++;
      else throw e;
    },
  );
}
const busy = new InferenceService({ logger: () => undefined });
const inFlight = busy.run(volume, null, bundle, { provider: 'cpu', threads: 2, batchSize: 8 }).catch((e: unknown) => e);
await new Promise((r) => setTimeout(r, 1500));
await busy.dispose();
const outcome = await inFlight;
await service.dispose();
console.log(
  `cancelled ${cancelled} of 5 runs; disposed of a busy service; alive (${outcome instanceof Error ? outcome.name : 'finished'})`,
);
