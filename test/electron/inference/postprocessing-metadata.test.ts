// metadata.json `postprocessing` through the real worker: the decision rule and the z smoothing
// are applied when the bundle asks for them, and 1.2.0-style bundles (no block) stay plain argmax.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runLesionModel } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { ModelMetadataSchema } from '../../../shared/inference/model-metadata.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { labelDifferences, syntheticChest } from '../../shared/inference/synthetic-chest.ts';

const IDENTITY_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'identity-test');
const quiet = (): void => undefined;

test('metadata postprocessing is optional and validated', async () => {
  const { metadata } = await loadModelBundle(IDENTITY_DIR);
  assert.equal(metadata.postprocessing, undefined);
  const ok = { ...metadata, postprocessing: { lesionThreshold: 0.4, hoThreshold: 0.55, zSmoothingRadius: 1 } };
  assert.deepEqual(ModelMetadataSchema.parse(ok).postprocessing, ok.postprocessing);
  for (const bad of [
    { lesionThreshold: 0, hoThreshold: 0.5, zSmoothingRadius: 1 },
    { lesionThreshold: 0.5, hoThreshold: 1.2, zSmoothingRadius: 1 },
    { lesionThreshold: 0.5, hoThreshold: 0.5, zSmoothingRadius: 0.5 },
  ])
    assert.equal(ModelMetadataSchema.safeParse({ ...metadata, postprocessing: bad }).success, false, JSON.stringify(bad));
});

test('a bundle whose preprocessing needs the antialiased resize is refused, not run without it', async () => {
  const { metadata } = await loadModelBundle(IDENTITY_DIR);
  const withAa = (antialias: boolean) => ({ ...metadata, preprocessing: { ...metadata.preprocessing, antialias } });
  assert.equal(ModelMetadataSchema.safeParse(withAa(true)).success, false);
  assert.equal(ModelMetadataSchema.safeParse(withAa(false)).success, true);
});

test('the worker applies the decision rule and z smoothing of metadata.postprocessing', async () => {
  const bundle = await loadModelBundle(IDENTITY_DIR);
  const chest = syntheticChest();
  const run = (post: { lesionThreshold: number; hoThreshold: number; zSmoothingRadius: number } | undefined) =>
    runLesionModel(chest.volume, chest.lungMask, post ? { ...bundle, metadata: { ...bundle.metadata, postprocessing: post } } : bundle, {
      provider: 'cpu',
      threads: 1,
      logger: quiet,
    });
  const plain = await run(undefined);
  assert.deepEqual(labelDifferences(chest.volume.size, plain.labels.data, chest.expected), []);
  // thresholds at one half and smoothing over ±1 slice: the identity model's confident, z-consistent blocks stay
  const same = await run({ lesionThreshold: 0.5, hoThreshold: 0.5, zSmoothingRadius: 1 });
  assert.deepEqual(labelDifferences(chest.volume.size, same.labels.data, chest.expected), []);
  // a lesion threshold above the identity model's weaker voxels: fewer lesion voxels (the rule is applied)
  const none = await run({ lesionThreshold: 0.999999, hoThreshold: 0.5, zSmoothingRadius: 1 });
  const lesionVoxels = (a: Uint8Array): number => a.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  assert.ok(lesionVoxels(plain.labels.data) > 0);
  assert.ok(lesionVoxels(none.labels.data) < lesionVoxels(plain.labels.data));
});
