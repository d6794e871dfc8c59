// metadata.json `postprocessing` through the real worker: the decision rule and the z smoothing
// are applied when the bundle asks for them, and 1.2.0-style bundles (no block) stay plain argmax;
// `preprocessing.antialias` reaches the worker's preprocessing.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runLesionModel } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { ModelMetadataSchema } from '../../../shared/inference/model-metadata.ts';
import { preprocessParamsOf } from '../../../shared/inference/preprocess-params.ts';
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

test('a bundle whose preprocessing asks for the antialiased resize is loaded and run with it', async (t) => {
  // the registry accepts it (schema + sha256 of the unchanged model file) and the flag reaches the parameters
  const tmp = mkdtempSync(join(tmpdir(), 'lb-antialias-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const dir = join(tmp, 'identity-aa');
  cpSync(IDENTITY_DIR, dir, { recursive: true });
  const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as { preprocessing: Record<string, unknown> };
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ ...meta, preprocessing: { ...meta.preprocessing, antialias: true } }));
  const plain = await loadModelBundle(IDENTITY_DIR);
  const aa = await loadModelBundle(dir);
  assert.equal(aa.metadata.preprocessing.antialias, true);
  assert.equal(preprocessParamsOf(aa.metadata).antialias, true);
  assert.equal(plain.metadata.preprocessing.antialias, undefined); // absent: the contract of bundles up to 1.3.0
  assert.equal(preprocessParamsOf(plain.metadata).antialias, false);
  const withAa = (antialias: unknown) => ({ ...plain.metadata, preprocessing: { ...plain.metadata.preprocessing, antialias } });
  assert.equal(ModelMetadataSchema.safeParse(withAa(false)).success, true);
  assert.equal(ModelMetadataSchema.safeParse(withAa('8-bit')).success, false);

  // through the worker: a 1-px line of +1000 HU in the lung on a 268-px crop resized to 64 (σ = 1.6 px). Plain
  // bilinear sampling keeps it dense (high opacity for the identity model, > −200 HU); the prefilter spreads it
  // below −200 HU (GGO): the labels differ, so the worker preprocessed with the bundle's flag
  const chest = syntheticChest({
    size: [300, 300, 3],
    body: { i0: 20, i1: 280, j0: 40, j1: 260 },
    lung: { i0: 30, i1: 270, j0: 50, j1: 250, k0: 0, k1: 3 },
    blocks: [{ i0: 151, i1: 152, j0: 100, j1: 200, k0: 0, k1: 3, hu: 1000, label: 2 }],
  });
  const counts = async (bundle: typeof plain): Promise<number[]> => {
    const r = await runLesionModel(chest.volume, chest.lungMask, bundle, { provider: 'cpu', threads: 1, logger: quiet });
    const c = [0, 0, 0];
    for (const v of r.labels.data) c[v] = c[v]! + 1;
    return c;
  };
  const [plainCounts, aaCounts] = [await counts(plain), await counts(aa)];
  assert.ok(plainCounts[2]! > 0 && plainCounts[1] === 0, `plain: ${plainCounts.join(', ')}`);
  assert.ok(aaCounts[1]! > 0 && aaCounts[2] === 0, `antialiased: ${aaCounts.join(', ')}`);
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
