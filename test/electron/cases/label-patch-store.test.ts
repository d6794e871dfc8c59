// Label versions saved as sparse patches (migration 8) through the path the workstation uses
// (`CaseCompute.saveLabelVersion`: encoding in a compute worker, diff against the cached bytes of
// the version last saved/opened): each version reads back byte for byte; its sha256 is the sha256
// of its FULL map, so a signature binds the full label content exactly as before; chains are
// capped by full snapshots; an unchanged copy reuses the stored bytes; full versions saved before
// (no patch row) read as before; a tampered patch is caught by the load and by `audit --verify`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { CaseCompute, PATCH_MAX_FRACTION } from '../../../electron/services/compute/case-compute.ts';
import { ComputePool } from '../../../electron/services/compute/compute-pool.ts';
import { MAX_PATCH_CHAIN } from '../../../electron/services/cases/label-chain.ts';
import { verifyAuditTrail } from '../../../electron/services/audit/verify-audit-trail.ts';
import { encodeNiftiCase } from '../../../shared/export/nifti-export.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signAs } from '../../support/test-readers.ts';

const pool = new ComputePool({ bulkThreads: 1, interactiveThreads: 1 });
const dirs: string[] = [];
after(async () => {
  await pool.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const size: [number, number, number] = [32, 24, 10];
const n = size[0] * size[1] * size[2];
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const reader = { kind: 'reader' as const, name: 'Dr Patch' };

function open(): { store: CaseStore; compute: CaseCompute; caseId: ReturnType<CaseStore['addSeries']>['caseId'] } {
  const dir = mkdtempSync(join(tmpdir(), 'lb-patch-'));
  dirs.push(dir);
  const store = CaseStore.open(dir);
  const { caseId } = store.addSeries({
    metadata: seriesMetadata(),
    volume: syntheticVolume(size, 1),
    sourcePath: '/x',
    sourceKind: 'nifti',
    issues: [],
  });
  return { store, compute: new CaseCompute(store, pool), caseId };
}

const patchRow = (store: CaseStore, id: number) =>
  store.db.prepare('SELECT base_id, depth, changed_voxels FROM label_patches WHERE version_id = ?').get(id) as
    { base_id: number; depth: number; changed_voxels: number } | undefined;

test('saves after the first are patches against the previous version; every version reads back exactly, sha256 of the full map', async () => {
  const { store, compute, caseId } = open();
  const labels = new Uint8Array(n);
  labels.fill(1, 100, 400);
  const kept: { id: number; bytes: Uint8Array }[] = [];
  let parent = null;
  for (let r = 0; r < 5; r++) {
    labels.fill(r % 3, 1000 + r * 50, 1100 + r * 50); // a brush stroke
    const { info } = await compute.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: parent });
    assert.equal(info.sha256, sha(labels), 'the version hash is of the full label content');
    kept.push({ id: info.id, bytes: labels.slice() });
    parent = info.id;
  }
  assert.equal(patchRow(store, kept[0]!.id), undefined, 'the first save is a full snapshot');
  for (let r = 1; r < kept.length; r++) {
    const p = patchRow(store, kept[r]!.id);
    assert.ok(p, `v${r + 1} is a patch`);
    assert.equal(p.base_id, kept[r - 1]!.id);
    assert.equal(p.depth, r);
    const stored = store.db.prepare('SELECT length(data) AS n FROM label_versions WHERE id = ?').get(kept[r]!.id) as { n: number };
    assert.ok(stored.n < 200, `a patch is small (${stored.n} bytes)`);
  }
  for (const k of kept) {
    assert.deepEqual(store.loadLabels(k.id as never), k.bytes);
    assert.deepEqual(await compute.loadLabels(k.id as never, 'bulk'), k.bytes);
  }
  // counts of a patch version are those of its full map
  const last = store.labelVersion(kept.at(-1)!.id as never);
  const h = [0, 0, 0];
  for (const v of kept.at(-1)!.bytes) h[v]!++;
  assert.deepEqual(last.counts, h);
  assert.equal(verifyAuditTrail(store.db, store.audit).ok, true);
  store.close();
});

test('a signature on a patch version binds the sha256 of the full labels; export and audit --verify are unaffected', async () => {
  const { store, compute, caseId } = open();
  const labels = new Uint8Array(n);
  const lung = new Uint8Array(n).fill(1);
  await compute.saveLabelVersion(caseId, 'lung', lung, { kind: 'algorithm', name: 'lung-mask' }, {}, 'bulk');
  const v1 = (await compute.saveLabelVersion(caseId, 'lesion', labels, reader)).info;
  labels.fill(2, 500, 900);
  const v2 = (await compute.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: v1.id })).info;
  assert.ok(patchRow(store, v2.id), 'v2 is stored as a patch');
  const sig = signAs(store, caseId, v2.id, 'Dr Patch');
  assert.equal(sig.lesionSha256, sha(labels), 'the signature binds the full label content hash');
  assert.equal(sig.lesionSha256, v2.sha256);
  const entry = store.audit.entries({ caseId }).find((e) => e.entity === `label_version:${v2.id}`);
  assert.equal(entry?.entitySha256, sha(labels), 'the audit entry of the save records the same full-content hash');
  const viaStore = encodeNiftiCase(
    store.loadVolume(caseId),
    { size, spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: store.loadLabels(v2.id) },
    null,
  );
  const direct = encodeNiftiCase(
    store.loadVolume(caseId),
    { size, spacingMm: [1, 1, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: labels },
    null,
  );
  assert.deepEqual(viaStore, direct, 'an export of the patch version equals one of its full bytes');
  assert.equal(verifyAuditTrail(store.db, store.audit).ok, true);
  // tampering with the stored patch of the signed version is caught on load and by the verifier
  store.db.exec('DROP TRIGGER label_versions_no_update');
  const broken = Buffer.from((store.db.prepare('SELECT data FROM label_versions WHERE id = ?').get(v2.id) as { data: Buffer }).data);
  broken[broken.length - 1] = (broken[broken.length - 1] ?? 0) ^ 0xff;
  store.db.prepare('UPDATE label_versions SET data = ? WHERE id = ?').run(broken, v2.id);
  assert.throws(() => store.loadLabels(v2.id), /corrupt/);
  const verdict = verifyAuditTrail(store.db, store.audit);
  assert.equal(verdict.ok, false);
  assert.ok(verdict.problems.some((p) => p.entity === `label_version:${v2.id}` && /do not match their sha256/.test(p.problem)));
  store.close();
});

test(`chains are capped at ${MAX_PATCH_CHAIN} patches; a large change is a full snapshot`, async () => {
  const { store, compute, caseId } = open();
  const labels = new Uint8Array(n);
  let parent = null;
  const depths: number[] = [];
  for (let r = 0; r < MAX_PATCH_CHAIN + 3; r++) {
    labels[r * 7] = 1;
    const { info } = await compute.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: parent });
    depths.push(patchRow(store, info.id)?.depth ?? 0);
    parent = info.id;
  }
  assert.deepEqual(depths, [0, ...Array.from({ length: MAX_PATCH_CHAIN }, (_, i) => i + 1), 0, 1]);
  labels.fill(2, 0, Math.ceil(n * PATCH_MAX_FRACTION) + 10);
  const big = (await compute.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: parent })).info;
  assert.equal(patchRow(store, big.id), undefined, 'more than the patch limit changed: full snapshot');
  assert.deepEqual(store.loadLabels(big.id), labels);
  store.close();
});

test('an opened version is the base of the next save; an unchanged copy reuses the stored bytes; full versions from before still load', async () => {
  const { store, compute, caseId } = open();
  const labels = new Uint8Array(n);
  labels.fill(1, 0, 300);
  // a version saved by the synchronous store path (a full map, as every version before migration 8)
  const old = store.saveLabelVersion(caseId, 'lesion', labels, { kind: 'model', name: 'model', modelName: 'm', modelVersion: '1' });
  assert.equal(patchRow(store, old.id), undefined);
  const opened = await compute.loadLabels(old.id);
  assert.deepEqual(opened, labels);
  labels[5000] = 2;
  const edited = (await compute.saveLabelVersion(caseId, 'lesion', labels, reader, { parentId: old.id })).info;
  assert.equal(patchRow(store, edited.id)?.base_id, old.id, 'the save is a patch against the opened version');
  const copy = store.copyLabelVersion(edited.id, { kind: 'reader', name: 'Dr Other' }, { parentId: edited.id, note: 'accepted unchanged' });
  assert.equal(copy.sha256, edited.sha256);
  assert.deepEqual(copy.counts, edited.counts);
  assert.deepEqual(patchRow(store, copy.id), patchRow(store, edited.id), 'the copy shares the base and depth');
  assert.deepEqual(store.loadLabels(copy.id), labels);
  assert.equal(verifyAuditTrail(store.db, store.audit).ok, true);
  // the patch table is append-only like the versions
  assert.throws(() => store.db.prepare('DELETE FROM label_patches').run(), /never deleted/);
  assert.throws(() => store.db.prepare('UPDATE label_patches SET base_id = 1').run(), /immutable/);
  store.close();
});
