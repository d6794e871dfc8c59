// Saves sent as patches (labelPatches.saveLesionPatch → saveLabelPatch → the applyLabelPatch
// worker task): the version stored is the one a full-map save stores (sha256 of the FULL map,
// reads back byte for byte), from the cached parent or the stored one; empty and whole-volume
// patches; refusals (stale parent, sha256 mismatch, corrupt or wrong-length patch) store nothing.
// Through the workstation's contract: the refusals reach the caller as coded errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { CaseCompute } from '../../../electron/services/compute/case-compute.ts';
import { ComputePool } from '../../../electron/services/compute/compute-pool.ts';
import { saveLabelPatch, stageLabelPatch } from '../../../electron/services/compute/save-label-patch.ts';
import { AutosaveStore } from '../../../electron/services/autosave/autosave-store.ts';
import { encodeLabelPatch } from '../../../shared/imaging/label-patch-format.ts';
import { ChangedBlocks } from '../../../shared/imaging/mask-tools/changed-blocks.ts';
import { createWorkstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, toErrorBody } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract } from '../../../shared/contracts/workstation.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signInOverApi } from '../../support/test-readers.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';

const pool = new ComputePool({ bulkThreads: 1, interactiveThreads: 1 });
const dirs: string[] = [];
after(async () => {
  await pool.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const size: [number, number, number] = [64, 32, 6];
const n = size[0] * size[1] * size[2];
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const author = { kind: 'reader' as const, name: 'Dr Patch' };

function open() {
  const dir = mkdtempSync(join(tmpdir(), 'lb-patch-save-'));
  dirs.push(dir);
  const store = CaseStore.open(dir);
  const { caseId } = store.addSeries({
    metadata: seriesMetadata(),
    volume: syntheticVolume(size, 1),
    sourcePath: '/x',
    sourceKind: 'nifti',
    issues: [],
  });
  const compute = new CaseCompute(store, pool);
  /** The reader's patch of `labels` (blocks of `marked` voxels) against `parentId`. */
  const save = (labels: Uint8Array, marked: number[], parentId: LabelVersionId | null, digest = sha(labels)) => {
    const blocks = new ChangedBlocks(n, 64);
    blocks.mark(marked);
    return saveLabelPatch(compute, { caseId, kind: 'lesion', patch: blocks.patchOf(labels), parentId, sha256: digest, author });
  };
  const count = (): number => (store.db.prepare('SELECT COUNT(*) AS c FROM label_versions').get() as { c: number }).c;
  return { store, compute, caseId, save, count };
}

const stroke = (labels: Uint8Array, at: number, len: number, v: number): number[] => {
  labels.fill(v, at, at + len);
  return Array.from({ length: len }, (_, k) => at + k);
};

test('patch saves store what a full save stores: sha256 of the full map, exact read-back, counts; from the cached or the stored parent', async () => {
  const { store, compute, save } = open();
  const labels = new Uint8Array(n);
  const first = await save(labels, stroke(labels, 100, 300, 1), null); // parent none: against all background
  assert.equal(first.info.sha256, sha(labels));
  assert.deepEqual(store.loadLabels(first.info.id), labels);
  let parent = first.info.id;
  for (let r = 0; r < 4; r++) {
    const marked = stroke(labels, 2000 + r * 500, 200, 1 + (r % 2));
    const { info, labels: full } = await save(labels, marked, parent);
    assert.equal(info.sha256, sha(labels), 'the recorded sha256 is that of the full label map');
    assert.equal(info.parentId, parent);
    assert.deepEqual(full, labels, 'the worker hands back the full map (for the stored burden)');
    assert.deepEqual(store.loadLabels(info.id), labels);
    assert.deepEqual(
      info.counts.slice(0, 3),
      [0, 1, 2].map((v) => labels.filter((x) => x === v).length),
    );
    assert.ok(store.patchDepth(info.id) >= 1, 'stored as a patch against its parent');
    parent = info.id;
  }
  // the cache forgets (another case opened, a restart): the parent is decoded from the store
  compute.labelCache.set('other:lesion', {
    versionId: 999 as LabelVersionId,
    bytes: new Uint8Array(new SharedArrayBuffer(1)),
    counts: [1],
    sha256: '',
    depth: 0,
  });
  for (let k = 0; k < 4; k++)
    compute.labelCache.set(`x${k}:lesion`, {
      versionId: 999 as LabelVersionId,
      bytes: new Uint8Array(new SharedArrayBuffer(1)),
      counts: [1],
      sha256: '',
      depth: 0,
    });
  const { info } = await save(labels, stroke(labels, 9000, 100, 2), parent);
  assert.deepEqual(store.loadLabels(info.id), labels);
  assert.equal(info.sha256, sha(labels));
});

test('an empty patch saves an unchanged version; a whole-volume patch is stored as a full snapshot', async () => {
  const { store, save } = open();
  const labels = new Uint8Array(n);
  const a = await save(labels, stroke(labels, 10, 50, 1), null);
  const same = await save(labels, [], a.info.id);
  assert.equal(same.info.sha256, a.info.sha256);
  assert.deepEqual(store.loadLabels(same.info.id), labels);
  labels.forEach((_, i) => (labels[i] = i % 3));
  const all = Array.from({ length: n }, (_, i) => i);
  const whole = await save(labels, all, same.info.id);
  assert.equal(store.patchDepth(whole.info.id), 0, 'more than 1/8 changed: a full snapshot');
  assert.deepEqual(store.loadLabels(whole.info.id), labels);
});

test('refusals store nothing: stale parent, sha256 mismatch, corrupt patch, wrong length', async () => {
  const { store, caseId, compute, save, count } = open();
  const labels = new Uint8Array(n);
  const v1 = (await save(labels, stroke(labels, 10, 50, 1), null)).info;
  const v2 = (await compute.saveLabelVersion(caseId, 'lesion', labels, author, { parentId: v1.id })).info; // another save
  const before = count();
  const mine = labels.slice();
  await assert.rejects(
    save(mine, stroke(mine, 500, 20, 2), v1.id),
    (e: Error & { code?: string; kind?: string }) =>
      e.code === 'stale-parent' && e.kind === 'conflict' && /newer lesion version 2/.test(e.message),
  );
  await assert.rejects(save(mine, stroke(mine, 500, 20, 2), null), (e: Error & { code?: string }) => e.code === 'stale-parent');
  await assert.rejects(
    save(mine, stroke(mine, 500, 20, 2), v2.id, sha(labels)),
    (e: Error & { code?: string; kind?: string }) => e.code === 'patch-mismatch' && e.kind === 'conflict',
  );
  const patchCall = (patch: Uint8Array) =>
    saveLabelPatch(compute, { caseId, kind: 'lesion', patch, parentId: v2.id, sha256: sha(mine), author });
  const good = encodeLabelPatch([{ start: 500, length: 20 }], mine);
  await assert.rejects(
    patchCall(good.subarray(0, good.length - 3)),
    (e: Error & { code?: string; kind?: string }) => e.code === 'corrupt-patch' && e.kind === 'invalid',
  );
  await assert.rejects(
    patchCall(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])),
    (e: Error & { code?: string }) => e.code === 'corrupt-patch' && /bad magic/.test(e.message),
  );
  await assert.rejects(
    patchCall(encodeLabelPatch([{ start: n - 4, length: 8 }], new Uint8Array(n + 4))),
    (e: Error & { code?: string }) => e.code === 'corrupt-patch' && new RegExp(`outside the map of ${n} voxels`).test(e.message),
  );
  assert.equal(count(), before, 'no version stored by any refusal');
  // a version of another case, and a lung version, are not parents of these lesion labels
  const lung = store.saveLabelVersion(caseId, 'lung', new Uint8Array(n), { kind: 'algorithm', name: 'x' });
  await assert.rejects(save(mine, [500], lung.id), /is not a lesion version/);
  // after the refusals the right parent still works
  const ok = await save(mine, stroke(mine, 500, 20, 2), v2.id);
  assert.deepEqual(store.loadLabels(ok.info.id), mine);
});

test('an autosave staged as a patch holds the full map on screen; a mismatch or a corrupt patch leaves the slot as it was', async () => {
  const { store, compute, caseId, save } = open();
  const dataDir = mkdtempSync(join(tmpdir(), 'lb-patch-stage-'));
  dirs.push(dataDir);
  const labels = new Uint8Array(n);
  const v1 = (await save(labels, stroke(labels, 10, 50, 1), null)).info;
  const blocks = new ChangedBlocks(n);
  blocks.mark(stroke(labels, 700, 40, 2));
  const stage = (digest: string, patch = blocks.patchOf(labels)) =>
    stageLabelPatch(compute, dataDir, { caseId, kind: 'lesion', patch, parentId: v1.id, sha256: digest });
  assert.match(await stage(sha(labels)), /^\d{4}-/);
  const slot = new AutosaveStore(dataDir).recover(caseId);
  assert.ok(slot.kind === 'recovered');
  assert.deepEqual(slot.record.labels, labels);
  assert.equal(slot.record.parentVersionId, v1.id);
  blocks.mark(stroke(labels, 900, 5, 1));
  await assert.rejects(stage('0'.repeat(64)), (e: Error & { code?: string }) => e.code === 'patch-mismatch');
  await assert.rejects(stage(sha(labels), new Uint8Array(9)), (e: Error & { code?: string }) => e.code === 'corrupt-patch');
  const still = new AutosaveStore(dataDir).recover(caseId);
  assert.ok(still.kind === 'recovered' && still.record.sha256 === slot.record.sha256, 'the earlier slot is untouched');
  // from the stored parent (not cached) and from no parent
  compute.labelCache.set(`${caseId}:lesion`, {
    versionId: 999 as LabelVersionId,
    bytes: new Uint8Array(new SharedArrayBuffer(1)),
    counts: [1],
    sha256: '',
    depth: 0,
  });
  await stage(sha(labels));
  const again = new AutosaveStore(dataDir).recover(caseId);
  assert.ok(again.kind === 'recovered');
  assert.deepEqual(again.record.labels, labels);
  const all = new ChangedBlocks(n);
  all.markAll();
  await stageLabelPatch(compute, dataDir, { caseId, kind: 'lesion', patch: all.patchOf(labels), parentId: null, sha256: sha(labels) });
  assert.equal(store.labelVersion(v1.id).id, v1.id);
});

test('through the contract: a patch save is a reader version like a full save; refusals carry their code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-patch-ws-'));
  dirs.push(dir);
  const ws = await createWorkstation({ dataDir: join(dir, 'data'), seedSample: false, builtinModelsDir: join(dir, 'no-models') });
  try {
    const call = createDispatcher(workstationContract, ws.api);
    const { caseId } = ws.store.addSeries({
      metadata: seriesMetadata(),
      volume: syntheticVolume(size, 1),
      sourcePath: '/x',
      sourceKind: 'nifti',
      issues: [],
    });
    const labels = new Uint8Array(n);
    const patchOf = (marked: number[]) => {
      const b = new ChangedBlocks(n);
      b.mark(marked);
      return b.patchOf(labels);
    };
    await assert.rejects(call('labelPatches.saveLesionPatch', [caseId, patchOf([]), null, sha(labels), '']), /sign in first/);
    await signInOverApi(ws.api, 'dr.patch', 'Dr Patch');
    const v1 = (await call('labelPatches.saveLesionPatch', [
      caseId,
      patchOf(stroke(labels, 40, 30, 1)),
      null,
      sha(labels),
      'first',
    ])) as LabelVersionInfo;
    assert.equal(v1.author.name, 'Dr Patch');
    assert.equal(v1.note, 'first');
    assert.equal(v1.sha256, sha(labels));
    assert.deepEqual(await call('cases.labelBytes', [v1.id]), labels);
    const v2 = (await call('cases.saveLesionLabels', [caseId, labels.slice(), v1.id, 'full'])) as LabelVersionInfo;
    const body = async (args: unknown[]) =>
      toErrorBody(
        await call('labelPatches.saveLesionPatch', args).then(
          () => assert.fail('accepted'),
          (e: unknown) => e,
        ),
      );
    const stale = await body([caseId, patchOf(stroke(labels, 90, 5, 2)), v1.id, sha(labels), '']);
    assert.deepEqual([stale.code, stale.reason], ['conflict', 'stale-parent']);
    const corrupt = await body([caseId, new Uint8Array(12), v2.id, sha(labels), '']);
    assert.deepEqual([corrupt.code, corrupt.reason], ['invalid-arguments', 'corrupt-patch']);
    assert.equal(
      (await body([caseId, patchOf([1]), v2.id, 'AB'.repeat(32), ''])).code,
      'invalid-arguments',
      'the gate wants lower-case hex',
    );
    // paint inside the lung mask (computed with the stored burden of v2) so the burden has lesions
    await call('cases.burden', [caseId]);
    const lungVersion = ws.store.latestLabelVersion(caseId, 'lung');
    assert.ok(lungVersion);
    const lung = (await call('cases.labelBytes', [lungVersion.id])) as Uint8Array;
    const inLung = [...lung.keys()].filter((q) => lung[q] !== 0).slice(0, 40);
    for (const q of inLung) labels[q] = 1 + (q % 2);
    const v3 = (await call('labelPatches.saveLesionPatch', [
      caseId,
      patchOf([90, 91, 92, 93, 94, ...inLung]),
      v2.id,
      sha(labels),
      '',
    ])) as LabelVersionInfo;
    assert.equal(v3.parentId, v2.id);
    assert.deepEqual(await call('cases.labelBytes', [v3.id]), labels);
    // the stored burden of the patch version (after the reply, from the worker's full map) is the live burden exactly
    const stored = (await call('cases.burden', [caseId])) as { lesionVolumeMl: number } | null;
    assert.ok(stored && stored.lesionVolumeMl > 0 && inLung.length === 40);
    assert.deepEqual(stored, new BurdenTally(syntheticVolume(size, 1), lung, labels).result());
  } finally {
    await ws.close();
  }
});
