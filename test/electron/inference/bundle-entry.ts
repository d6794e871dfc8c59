/**
 * Entry of the bundling test (`vite-bundle.test.ts`): built by Vite like the Electron main
 * process, then run with plain node (no tsx). Prints one JSON line with the outcome.
 */
import { runLesionModel } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { labelDifferences, syntheticChest } from '../../shared/inference/synthetic-chest.ts';

async function main(): Promise<void> {
  const bundle = await loadModelBundle(process.argv[2]!);
  const chest = syntheticChest();
  const r = await runLesionModel(chest.volume, chest.lungMask, bundle, {
    provider: 'cpu',
    threads: 1,
    logger: () => undefined,
  });
  const differences = labelDifferences(chest.volume.size, r.labels.data, chest.expected).length;
  console.log(JSON.stringify({ provider: r.provider, differences, slicesInferred: r.timings.slicesInferred }));
}
main().catch((e: unknown) => {
  console.log(JSON.stringify({ error: String(e) }));
  process.exitCode = 1;
});
