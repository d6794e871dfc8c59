import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InferenceService, runLesionModel, type InferenceProgress } from '../../../electron/services/inference/inference-service.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { DEFAULT_CHEST, labelDifferences, syntheticChest } from '../../shared/inference/synthetic-chest.ts';

const IDENTITY_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'identity-test');
const RANDOM_INIT_DIR = join(REPO_ROOT, 'test', 'fixtures', 'models', 'random-init');

const quiet = (): void => undefined;

test('identity model through the worker: blocks come back at exactly their voxels; progress; skipped slices', async () => {
  const bundle = await loadModelBundle(IDENTITY_DIR);
  const chest = syntheticChest();
  const progress: InferenceProgress[] = [];
  const r = await runLesionModel(chest.volume, chest.lungMask, bundle, {
    provider: 'cpu',
    threads: 1,
    batchSize: 3,
    onProgress: (p) => progress.push(p),
    logger: quiet,
  });
  assert.deepEqual(labelDifferences(chest.volume.size, r.labels.data, chest.expected), []);
  assert.equal(r.provider, 'cpu');
  assert.deepEqual(r.labels.size, chest.volume.size);
  assert.deepEqual(r.labels.directionLps, chest.volume.directionLps);
  // 12 slices, lung on 2…9: 4 skipped, 8 inferred in batches of 3 → 3 batches
  assert.equal(r.timings.slicesSkipped, 4);
  assert.equal(r.timings.slicesInferred, 8);
  assert.equal(r.timings.batches, 3);
  assert.deepEqual(
    progress.map((p) => p.done),
    [4, 7, 10, 12],
  );
  assert.ok(progress.every((p) => p.total === 12));
  assert.equal(progress[0]!.etaS, null);
  assert.equal(progress.at(-1)!.etaS, 0);
  assert.ok(r.meanEntropy >= 0 && r.meanEntropy < 0.01);
  // the caller's buffers are untouched (copies were transferred)
  assert.equal(chest.volume.data.length, 160 * 160 * 12);
  assert.equal(chest.lungMask.data.length, 160 * 160 * 12);
});

test('mirror averaging: a mirror-equivariant (identity) model gives the same labels with twice the runs', async () => {
  const bundle = await loadModelBundle(IDENTITY_DIR);
  const chest = syntheticChest();
  const r = await runLesionModel(chest.volume, chest.lungMask, bundle, {
    provider: 'cpu',
    threads: 1,
    batchSize: 3,
    mirrorAverage: true,
    logger: quiet,
  });
  assert.deepEqual(labelDifferences(chest.volume.size, r.labels.data, chest.expected), []);
  assert.equal(r.timings.batches, 6, 'two session runs per batch');
});

test('mirror averaging with the shipped model: a left–right symmetric slice gets exactly symmetric labels', async (t) => {
  const dir = join(REPO_ROOT, 'models', 'lung-burden-convlstm-fast');
  if (!existsSync(join(dir, 'metadata.json'))) {
    t.skip('models/lung-burden-convlstm-fast absent');
    return;
  }
  const bundle = await loadModelBundle(dir);
  const n = bundle.metadata.input.width; // one 192×192 slice whose body fills it: the crop box is the slice itself
  const data = new Int16Array(n * n).fill(40);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n / 2; i++) {
      const inLung = ((i - 0.27 * n) / (0.17 * n)) ** 2 + ((j - 0.5 * n) / (0.33 * n)) ** 2 < 1;
      const haze = ((i - 0.22 * n) / (0.06 * n)) ** 2 + ((j - 0.62 * n) / (0.08 * n)) ** 2 < 1;
      const v = haze ? -520 : inLung ? -860 : 40;
      data[j * n + i] = v;
      data[j * n + (n - 1 - i)] = v;
    }
  }
  const volume = {
    size: [n, n, 1] as const,
    spacingMm: [1, 1, 1] as const,
    originLps: [0, 0, 0] as const,
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
    data,
  };
  const service = new InferenceService({ logger: quiet });
  try {
    const r = await service.run(volume, null, bundle, { provider: 'cpu', threads: 1, mirrorAverage: true });
    let asymmetric = 0;
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) if (r.labels.data[j * n + i] !== r.labels.data[j * n + (n - 1 - i)]) asymmetric++;
    assert.equal(asymmetric, 0);
    assert.ok(
      r.labels.data.some((v) => v > 0),
      'the hazy patches are labelled',
    );
  } finally {
    await service.dispose();
  }
});

test('a warm service reuses its worker and session; batch size does not change labels', async () => {
  const bundle = await loadModelBundle(IDENTITY_DIR);
  const chest = syntheticChest();
  const service = new InferenceService({ logger: quiet });
  try {
    const a = await service.run(chest.volume, chest.lungMask, bundle, {
      provider: 'cpu',
      threads: 1,
      batchSize: 1,
    });
    const id = service.workerThreadId;
    const b = await service.run(chest.volume, chest.lungMask, bundle, {
      provider: 'cpu',
      threads: 1,
      batchSize: 5,
    });
    assert.equal(service.workerThreadId, id);
    assert.equal(b.timings.sessionMs, 0);
    assert.equal(b.timings.batches, 2);
    assert.deepEqual(a.labels.data, b.labels.data);
    assert.deepEqual(labelDifferences(chest.volume.size, b.labels.data, chest.expected), []);
  } finally {
    await service.dispose();
  }
  assert.equal(service.workerThreadId, null);
});

test('a model with a fixed batch dimension runs with padded batches (requested batch size ignored)', async () => {
  const bundle = await loadModelBundle(join(IDENTITY_DIR, 'fixed-batch-4'));
  const chest = syntheticChest({ ...DEFAULT_CHEST, lung: { ...DEFAULT_CHEST.lung, k0: 2, k1: 9 } }); // 7 slices: 4 + 3 (padded)
  const r = await runLesionModel(chest.volume, chest.lungMask, bundle, {
    provider: 'cpu',
    threads: 1,
    batchSize: 2,
    logger: quiet,
  });
  assert.equal(r.timings.batches, 2);
  assert.equal(r.timings.slicesInferred, 7);
  assert.deepEqual(labelDifferences(chest.volume.size, r.labels.data, chest.expected), []);
});

test('random-init bundle of the real architecture (when present): runs, labels only in the lung, batch-independent', async (t) => {
  if (!existsSync(join(RANDOM_INIT_DIR, 'metadata.json'))) {
    t.skip('test/fixtures/models/random-init absent: the model engineer writes it with `python -m lungburden.export --random-init`');
    return;
  }
  const bundle = await loadModelBundle(RANDOM_INIT_DIR);
  // a smaller phantom keeps this under a few seconds on 2 cores: 5 slices with lung
  const chest = syntheticChest({
    size: [96, 96, 7],
    body: { i0: 8, i1: 88, j0: 14, j1: 82 },
    lung: { i0: 16, i1: 80, j0: 22, j1: 74, k0: 1, k1: 6 },
    blocks: [{ i0: 30, i1: 44, j0: 30, j1: 44, k0: 2, k1: 5, hu: -450, label: 1 }],
  });
  const service = new InferenceService({ logger: quiet });
  try {
    const a = await service.run(chest.volume, chest.lungMask, bundle, {
      provider: 'cpu',
      batchSize: 1,
    });
    const b = await service.run(chest.volume, chest.lungMask, bundle, {
      provider: 'cpu',
      batchSize: 4,
    });
    assert.deepEqual(a.labels.data, b.labels.data);
    assert.ok(Math.abs(a.meanEntropy - b.meanEntropy) < 1e-4);
    assert.ok(a.meanEntropy >= 0 && a.meanEntropy <= Math.log(3) + 1e-9);
    for (let idx = 0; idx < a.labels.data.length; idx++) {
      const v = a.labels.data[idx]!;
      assert.ok(v <= 2);
      if (chest.lungMask.data[idx] === 0) assert.equal(v, 0);
    }
    assert.equal(a.timings.slicesInferred, 5);
  } finally {
    await service.dispose();
  }
});
