/**
 * Parts of the main-thread bench (`main-thread.bench.ts`) measured on a 512×512×300 case store,
 * each as before/after in the same run:
 * - `measureStoreSave`: a lesion save with a small edit against its parent, the full-map path
 *   (`saveLabelVersionAsync`: deflate + sha256 + counts of the whole map, as before migration 8)
 *   against the patch path the workstation uses (`CaseCompute.saveLabelVersion`: diff in a
 *   worker against the cached parent, only the changed runs stored), with the store's own part
 *   of the patch path (the insert: wall time and this thread's CPU time, as the wall time of a
 *   loaded machine also counts the time the OS did not run the thread) and the bytes written; and
 *   the patch as the review screen sends it now (`saveLabelPatch`: the changed blocks and the
 *   reader's sha256 in, the full map rebuilt and checked in a worker, the insert here: `wirePatch*`);
 * - `measureLeftovers`: the former main-thread leftovers (version comparison, lung-label value
 *   check, a signed pair's burden, the signature's byte checks) run inline as before (their
 *   main-thread time) against the off-thread path (the longest main-thread stall while it runs,
 *   from a 5 ms timer probe).
 */
import { CaseStore } from '../../electron/services/cases/case-store.ts';
import { CaseCompute } from '../../electron/services/compute/case-compute.ts';
import { ComputePool } from '../../electron/services/compute/compute-pool.ts';
import { burdenOfPair } from '../../electron/services/analysis/analyze-case.ts';
import { countLabels, encodeLabelsAgainst, encodeLabelsAsync } from '../../electron/services/cases/label-encoding.ts';
import { resumableSha256 } from '../../electron/workers/resumable-sha256.ts';
import { pairAgreement } from '../../shared/imaging/agreement.ts';
import { voxelVolumeMl } from '../../shared/domain/volume.ts';
import type { CaseId } from '../../shared/domain/ids.ts';
import { seriesMetadata } from '../support/synthetic-volume.ts';
import { createHash } from 'node:crypto';
import { saveLabelPatch } from '../../electron/services/compute/save-label-patch.ts';
import { ChangedBlocks } from '../../shared/imaging/mask-tools/changed-blocks.ts';

const big: [number, number, number] = [512, 512, 300];
const n = big[0] * big[1] * big[2];
const reader = { kind: 'reader' as const, name: 'bench' };
const median = (xs: readonly number[]): number => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(1);

/** The bench's lesion map: a few lesion blobs (runs), mostly background. */
function openBigLabels(): Uint8Array {
  const labels = new Uint8Array(n);
  for (let k = 100; k < 200; k++)
    for (let j = 200; j < 260; j++) labels.fill(k % 2 ? 1 : 2, k * 512 * 512 + j * 512 + 100, k * 512 * 512 + j * 512 + 180);
  return labels;
}

function openBig(dir: string): { store: CaseStore; caseId: CaseId; labels: Uint8Array } {
  const store = CaseStore.open(dir);
  const { caseId } = store.addSeries({
    metadata: seriesMetadata(),
    volume: {
      size: big,
      spacingMm: [0.7, 0.7, 1],
      originLps: [0, 0, 0],
      directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      data: new Int16Array(n),
    },
    sourcePath: '/bench',
    sourceKind: 'nifti',
    issues: [],
  });
  return { store, caseId, labels: openBigLabels() };
}

/** A brush stroke of a few thousand voxels on slice `k`. */
const stroke = (labels: Uint8Array, r: number, k = 150): void => {
  for (let j = 300; j < 340; j++) labels.fill(r % 2 ? 1 : 2, k * 512 * 512 + j * 512 + 200, k * 512 * 512 + j * 512 + 260);
};

/** Median (and all) of 7 saves each way; the patch path's store insert and stored bytes. */
export async function measureStoreSave(dir: string): Promise<Record<string, unknown>> {
  const { store, caseId, labels } = openBig(dir);
  const pool = new ComputePool({ bulkThreads: 1 });
  const compute = new CaseCompute(store, pool);
  try {
    const full: number[] = [];
    let parent = (await store.saveLabelVersionAsync(caseId, 'lesion', labels, reader)).id;
    for (let r = 0; r < 7; r++) {
      stroke(labels, r);
      const t = performance.now();
      parent = (await store.saveLabelVersionAsync(caseId, 'lesion', labels, reader, { parentId: parent })).id;
      full.push(performance.now() - t);
    }
    const fullBytes = (store.db.prepare('SELECT length(data) AS b FROM label_versions WHERE id = ?').get(parent) as { b: number }).b;
    await compute.loadLabels(parent); // the reader opens the latest version: it becomes the base of the next save
    const insertMs: number[] = [];
    const insertCpuMs: number[] = [];
    const save = store.saveEncodedLabelVersion.bind(store);
    store.saveEncodedLabelVersion = (...a) => {
      const t = performance.now();
      const c = process.threadCpuUsage();
      const v = save(...a);
      const d = process.threadCpuUsage(c);
      insertCpuMs.push((d.user + d.system) / 1000);
      insertMs.push(performance.now() - t);
      return v;
    };
    const patch: number[] = [];
    for (let r = 0; r < 7; r++) {
      stroke(labels, r + 1, 120 + r * 10);
      const fresh = labels.slice(); // as the transports hand it over: a buffer of its own, moved to the worker
      const t = performance.now();
      parent = (await compute.saveLabelVersion(caseId, 'lesion', fresh, reader, { parentId: parent }, 'interactive', true)).info.id;
      patch.push(performance.now() - t);
    }
    const patchBytes = (store.db.prepare('SELECT length(data) AS b FROM label_versions WHERE id = ?').get(parent) as { b: number }).b;
    // the patch as the review screen now sends it: only the changed blocks cross (saveLabelPatch)
    const diffInserts = insertMs.length;
    const wire: number[] = [];
    const wireBytes: number[] = [];
    for (let r = 0; r < 7; r++) {
      const blocks = new ChangedBlocks(n);
      const k = 125 + r * 10;
      stroke(labels, r + 2, k);
      for (let j = 300; j < 340; j++) blocks.mark([k * 512 * 512 + j * 512 + 200, k * 512 * 512 + j * 512 + 259]);
      const patch = blocks.patchOf(labels);
      const sha256 = createHash('sha256').update(labels).digest('hex'); // the reader's digest: not the store's time
      wireBytes.push(patch.length);
      const t = performance.now();
      parent = (await saveLabelPatch(compute, { caseId, kind: 'lesion', patch, parentId: parent, sha256, author: reader })).info.id;
      wire.push(performance.now() - t);
    }
    const wireInsertMs = insertMs.splice(diffInserts);
    const wireInsertCpuMs = insertCpuMs.splice(diffInserts);
    return {
      voxels: n,
      fullMapMs: { median: median(full), all: full.map((x) => +x.toFixed(1)) },
      patchMs: { median: median(patch), all: patch.map((x) => +x.toFixed(1)) },
      patchStoreInsertMs: { median: median(insertMs), all: insertMs.map((x) => +x.toFixed(1)) },
      patchStoreInsertCpuMs: { median: median(insertCpuMs), all: insertCpuMs.map((x) => +x.toFixed(1)) },
      patchOverFullMap: +(median(patch) / median(full)).toFixed(3),
      wirePatchMs: { median: median(wire), all: wire.map((x) => +x.toFixed(1)), patchBytes: wireBytes[0] },
      wirePatchStoreInsertMs: { median: median(wireInsertMs), all: wireInsertMs.map((x) => +x.toFixed(1)) },
      wirePatchStoreInsertCpuMs: { median: median(wireInsertCpuMs), all: wireInsertCpuMs.map((x) => +x.toFixed(1)) },
      storedBytes: { fullMap: fullBytes, patch: patchBytes },
    };
  } finally {
    await pool.close();
    store.close();
  }
}

/**
 * CPU time (this process, all threads: deflate runs on the libuv pool) of encoding a save in this
 * thread, full map (`encodeLabelsAsync`) vs patch against the parent (`encodeLabelsAgainst` with the
 * resumable sha256), 5 saves each: what the save costs without the thread hand-over, the insert's
 * fsyncs and the OS scheduling of a loaded machine that the wall times above include.
 */
export async function measureEncodeCpu(): Promise<Record<string, unknown>> {
  const labels = openBigLabels();
  let base = labels.slice();
  let digest = resumableSha256(base);
  let counts = countLabels(base);
  const full: number[] = [];
  const patch: number[] = [];
  const cpuOf = (c: NodeJS.CpuUsage): number => {
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  };
  for (let r = 0; r < 5; r++) {
    const next = base.slice();
    stroke(next, r, 120 + r * 10);
    let c = process.cpuUsage();
    await encodeLabelsAsync(next);
    full.push(cpuOf(c));
    const from = digest;
    c = process.cpuUsage();
    const e = encodeLabelsAgainst(next, base, counts, n / 8, (l, firstChange) => resumableSha256(l, { digest: from, firstChange }));
    patch.push(cpuOf(c));
    if (!e) throw new Error('the bench edit should be a patch');
    ({ digest, counts } = e);
    base = next;
  }
  return {
    fullMapCpuMs: { median: median(full), all: full.map((x) => +x.toFixed(1)) },
    patchCpuMs: { median: median(patch), all: patch.map((x) => +x.toFixed(1)) },
    patchOverFullMap: +(median(patch) / median(full)).toFixed(3),
  };
}

/** Longest lateness of a 5 ms timer on this thread while `work` runs (ms). */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const probe = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last - 5);
    last = t;
  }, 5);
  const t0 = performance.now();
  await work();
  worst = Math.max(worst, performance.now() - last - 5);
  clearInterval(probe);
  return +Math.min(worst, performance.now() - t0).toFixed(1);
}

const timed = (fn: () => unknown): number => {
  const t = performance.now();
  fn();
  return +(performance.now() - t).toFixed(1);
};

/** Each former leftover inline (main-thread ms) and off the main thread (longest stall, ms). */
export async function measureLeftovers(
  dir: string,
): Promise<Record<string, { inlineMs: number; offThreadLongestStallMs: number; ratio: number }>> {
  const { store, caseId, labels } = openBig(dir);
  const pool = new ComputePool({ bulkThreads: 1 });
  const compute = new CaseCompute(store, pool);
  try {
    const lung = new Uint8Array(n).fill(1, 0, n / 2);
    const lungV = store.saveLabelVersion(caseId, 'lung', lung, { kind: 'algorithm', name: 'bench' }).id;
    const a = store.saveLabelVersion(caseId, 'lesion', labels, reader).id;
    stroke(labels, 1);
    const b = store.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: a }).id;
    const ml = voxelVolumeMl(store.getCase(caseId).geometry);
    const out: Record<string, { inlineMs: number; offThreadLongestStallMs: number; ratio: number }> = {};
    const row = (inlineMs: number, offThreadLongestStallMs: number) => ({
      inlineMs,
      offThreadLongestStallMs,
      ratio: +(offThreadLongestStallMs / inlineMs).toFixed(3),
    });
    out['compareVersions'] = row(
      timed(() => pairAgreement(store.loadLabels(a), store.loadLabels(b), ml)),
      await longestStall(() => compute.compareLabels(a, b, ml)),
    );
    const lungBytes = store.loadLabels(lungV);
    await compute.loadLabels(lungV); // opened: the base of the lung save
    const fresh = lungBytes.slice();
    fresh[n - 1] = 2;
    out['lungLabelValueCheck'] = row(
      timed(() => {
        for (let i = 0; i < lungBytes.length; i++) if (lungBytes[i]! > 2) return countLabels(lungBytes);
        return null;
      }),
      await longestStall(() => compute.saveLabelVersion(caseId, 'lung', fresh, reader, {}, 'interactive', true, () => undefined)),
    );
    out['signedPairBurden'] = row(
      timed(() => burdenOfPair(store, caseId, b, lungV)),
      await longestStall(() => compute.recordBurdenOfPair(caseId, b, lungV)),
    );
    out['signatureByteChecks'] = row(
      timed(() => [store.loadLabels(b), store.loadLabels(lungV)]),
      await longestStall(() => Promise.all([compute.verifyLabels(b), compute.verifyLabels(lungV)])),
    );
    out['signOffCopy'] = row(
      timed(() => store.saveLabelVersion(caseId, 'lesion', store.loadLabels(b), reader, { parentId: b })),
      await longestStall(async () => store.copyLabelVersion(b, reader, { parentId: b })),
    );
    return out;
  } finally {
    await pool.close();
    store.close();
  }
}
