// The compute pool runs the existing functions in worker threads: same results as in this thread,
// buffers moved (not copied) where asked, errors rebuilt with their class/code, cancellation by
// terminating the thread, and the interactive lane never waits behind the bulk lane.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputePool, defaultBulkThreads } from '../../../electron/services/compute/compute-pool.ts';
import { decodeLabels, encodeLabelsAsync } from '../../../electron/services/cases/label-encoding.ts';
import { VoxelCache } from '../../../electron/services/cases/voxel-cache.ts';
import { ImportPathError } from '../../../electron/services/analysis/import-any-path.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import { lungMask } from '../../../shared/imaging/lung-mask.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';

// These tests compare the worker with the classical lung mask run here: the workers (which copy the
// environment when they start) make the classical mask, not the default combined one.
process.env['LUNG_BURDEN_LUNG_MASK'] = 'classical';
const dir = mkdtempSync(join(tmpdir(), 'lb-pool-'));
const pool = new ComputePool({ bulkThreads: 1, interactiveThreads: 1 });
after(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const volume = chestPhantom([96, 80, 24], [3.5, 3.5, 10]);
const cache = new VoxelCache(join(dir, 'voxels'));
const hash = VoxelCache.contentHash(volume);
cache.put(hash, volume);
const voxels = {
  path: cache.pathOf(hash),
  geometry: { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps },
};

test('bulk threads follow the cores (one left for the main thread, 1 to 4)', () => {
  assert.equal(defaultBulkThreads(1), 1);
  assert.equal(defaultBulkThreads(2), 1);
  assert.equal(defaultBulkThreads(4), 3);
  assert.equal(defaultBulkThreads(32), 4);
});

test('lung mask, burden and label encoding in a worker equal the same functions here', async () => {
  const want = lungMask(volume).data;
  const got = (await pool.run('lungMask', { voxels })).labels;
  assert.deepEqual(got, want);
  const lesion = new Uint8Array(want.length);
  for (let q = 0; q < lesion.length; q += 7) if (want[q]) lesion[q] = (q % 2) + 1;
  const enc = await encodeLabelsAsync(lesion);
  const viaPool = await pool.run('encodeLabels', { labels: lesion.slice() }, { lane: 'interactive' });
  assert.equal(viaPool.digest, enc.digest);
  assert.deepEqual(viaPool.counts, enc.counts);
  assert.deepEqual(decodeLabels({ data: viaPool.blob, sha256: viaPool.digest, byteLength: lesion.length }, 'x'), lesion);
  const stored = { data: enc.blob, sha256: enc.digest, byteLength: lesion.length };
  assert.deepEqual(await pool.run('decodeLabels', { stored, what: 'v1' }, { lane: 'interactive' }), lesion);
  const burden = await pool.run('burden', { voxels, lung: { raw: want }, lesion: { stored, what: 'v1' } });
  assert.deepEqual(burden, computeBurden(volume, { ...volume, data: want }, lesion));
});

test('transfer moves the buffer (the caller array is detached), without it the caller keeps its copy', async () => {
  const a = new Uint8Array(200_000).fill(1);
  await pool.run('encodeLabels', { labels: a }, { transfer: [a.buffer] });
  assert.equal(a.length, 0, 'moved');
  const b = new Uint8Array(200_000).fill(1);
  const r = await pool.run('encodeLabels', { labels: b });
  assert.equal(b.length, 200_000, 'copied');
  assert.equal(r.labels.length, 200_000);
});

test('errors keep their class, message and code', async () => {
  await assert.rejects(
    pool.run('importPath', { path: join(dir, 'missing.nii.gz'), voxelDir: join(dir, 'voxels') }),
    (e: unknown) => e instanceof ImportPathError && /no such file/.test(e.message),
  );
  const bad = { data: new Uint8Array([1, 2, 3]), sha256: '0'.repeat(64), byteLength: 10 };
  await assert.rejects(
    pool.run('decodeLabels', { stored: bad, what: 'label version 9' }),
    (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'conflict' && /label version 9 is corrupt/.test(e.message),
  );
});

test('import in a worker: NIfTI decoded, voxels written to the cache under their hash, buffers moved back', async () => {
  const file = join(dir, 'p.nii.gz');
  writeFileSync(file, writeNifti(volume));
  const progress: number[] = [];
  const r = await pool.run('importPath', { path: file, voxelDir: join(dir, 'voxels2') }, { onProgress: (d) => progress.push(d) });
  assert.equal(r.series.length, 1);
  const s = r.series[0]!;
  assert.equal(s.contentHash, VoxelCache.contentHash(s.volume));
  assert.deepEqual(new VoxelCache(join(dir, 'voxels2')).get(s.contentHash, s.volume).data, s.volume.data);
  assert.ok(progress.length > 0);
});

test('abort terminates the running task at once; the pool goes on with a fresh thread', async () => {
  const big = chestPhantom([256, 256, 120], [1.2, 1.2, 2.5]);
  const h = VoxelCache.contentHash(big);
  cache.put(h, big);
  const ac = new AbortController();
  const t0 = performance.now();
  const run = pool.run(
    'lungMask',
    {
      voxels: {
        path: cache.pathOf(h),
        geometry: { size: big.size, spacingMm: big.spacingMm, originLps: big.originLps, directionLps: big.directionLps },
      },
    },
    { signal: ac.signal },
  );
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  assert.ok(performance.now() - t0 < 2000);
  assert.deepEqual((await pool.run('lungMask', { voxels })).labels, lungMask(volume).data);
});

test('an interactive task does not wait for a busy bulk lane', async () => {
  const big = chestPhantom([256, 256, 120], [1.25, 1.25, 2.5]);
  const h = VoxelCache.contentHash(big);
  cache.put(h, big);
  let bulkDone = 0;
  const bulk = pool
    .run('lungMask', {
      voxels: {
        path: cache.pathOf(h),
        geometry: { size: big.size, spacingMm: big.spacingMm, originLps: big.originLps, directionLps: big.directionLps },
      },
    })
    .then(() => (bulkDone = performance.now()));
  await new Promise((r) => setTimeout(r, 100));
  await pool.run('encodeLabels', { labels: new Uint8Array(1000) }, { lane: 'interactive' });
  const interactiveDone = performance.now();
  await bulk;
  assert.ok(interactiveDone < bulkDone, 'the interactive task finished while the lung mask was still running');
});

test('a save does not wait for the stored burden of the previous save (background lane)', async () => {
  const big = chestPhantom([256, 256, 120], [1.25, 1.25, 2.5]);
  const h = VoxelCache.contentHash(big);
  cache.put(h, big);
  let backgroundDone = 0;
  const geometry = { size: big.size, spacingMm: big.spacingMm, originLps: big.originLps, directionLps: big.directionLps };
  const background = pool
    .run('lungMask', { voxels: { path: cache.pathOf(h), geometry } }, { lane: 'background' })
    .then(() => (backgroundDone = performance.now()));
  await new Promise((r) => setTimeout(r, 100));
  await pool.run('encodeLabels', { labels: new Uint8Array(1000) }, { lane: 'interactive' });
  const interactiveDone = performance.now();
  await background;
  assert.ok(interactiveDone < backgroundDone, 'the save finished while the background task was still running');
  assert.deepEqual(pool.size, { bulk: 1, interactive: 1, background: 1 });
});
