// Lung-mask saves sent as patches (labelPatches.saveLungPatch / stageLungPatch → saveLabelPatch /
// stageLabelPatch with kind 'lung'), through the workstation's contract: the lung version stored is
// the one cases.saveLungLabels stores for the full map (sha256 of the FULL map, same bytes, counts,
// author, note, parent), and the stored burden follows it exactly as after a full save; refusals
// (stale parent, sha256 mismatch, corrupt patch, values other than 0/1/2, a lesion parent) store
// nothing; the lung autosave slot staged from a patch holds the full map, refusals leave it as it was.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, toErrorBody, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type BurdenView } from '../../../shared/contracts/workstation.ts';
import { encodeLabelPatch } from '../../../shared/imaging/label-patch-format.ts';
import { ChangedBlocks } from '../../../shared/imaging/mask-tools/changed-blocks.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { seriesMetadata, syntheticVolume } from '../../support/synthetic-volume.ts';
import { signInOverApi } from '../../support/test-readers.ts';

const size: [number, number, number] = [64, 32, 6];
const n = size[0] * size[1] * size[2];
const volume = syntheticVolume(size, 1);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let dir: string;
let ws: Workstation;
let call: Dispatch;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-lung-patch-'));
  ws = await createWorkstation({ dataDir: join(dir, 'data'), seedSample: false, builtinModelsDir: join(dir, 'no-models') });
  call = createDispatcher(workstationContract, ws.api);
  await signInOverApi(ws.api, 'dr.lungpatch', 'Dr Lung Patch');
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A case with a lung mask (right half 1, left half 2, outside the first/last 4 columns) and a lesion version inside it. */
async function caseWithLung(): Promise<{ caseId: CaseId; lung: Uint8Array; lesion: Uint8Array; lung0: LabelVersionInfo }> {
  const { caseId } = ws.store.addSeries({ metadata: seriesMetadata(), volume, sourcePath: '/x', sourceKind: 'nifti', issues: [] });
  const lung = new Uint8Array(n);
  for (let q = 0; q < n; q++) {
    const i = q % size[0];
    if (i >= 4 && i < size[0] - 4) lung[q] = i < size[0] / 2 ? 1 : 2;
  }
  const lesion = new Uint8Array(n);
  for (let q = 2000; q < 2600; q++) if (lung[q] !== 0) lesion[q] = 1 + (q % 2);
  // the lung first: the lesion save's stored burden then uses it (no automatic lung mask)
  const lung0 = (await call('cases.saveLungLabels', [caseId, lung.slice(), null, 'first'])) as LabelVersionInfo;
  await call('cases.saveLesionLabels', [caseId, lesion.slice(), null, '']);
  return { caseId, lung, lesion, lung0 };
}

/** The patch of the blocks of `marked` voxels with their values in `labels` (as the review screen's edit session sends it). */
const patchOf = (labels: Uint8Array, marked: readonly number[]): Uint8Array => {
  const b = new ChangedBlocks(n);
  b.mark(marked);
  return b.patchOf(labels);
};
/** Erases (0) or repaints `len` voxels from `at`; the voxels written. */
const stroke = (labels: Uint8Array, at: number, len: number, v: number): number[] => {
  labels.fill(v, at, at + len);
  return Array.from({ length: len }, (_, k) => at + k);
};
const lungVersions = (caseId: CaseId): number => ws.store.getCase(caseId).labelVersions.filter((v) => v.kind === 'lung').length;

test('a lung patch stores what the full save stores; the stored burden follows it exactly as after a full save', async () => {
  const { caseId, lung, lesion, lung0 } = await caseWithLung();
  const burden0 = (await call('cases.burden', [caseId])) as BurdenView;
  const erased = stroke(lung, 2048, 300, 0);
  const v1 = (await call('labelPatches.saveLungPatch', [
    caseId,
    patchOf(lung, erased),
    lung0.id,
    sha(lung),
    'effusion excluded',
  ])) as LabelVersionInfo;
  assert.equal(v1.kind, 'lung');
  assert.equal(v1.version, lung0.version + 1);
  assert.equal(v1.parentId, lung0.id);
  assert.equal(v1.sha256, sha(lung), 'the recorded sha256 is that of the full lung mask');
  assert.deepEqual([v1.author.kind, v1.author.name, v1.note], ['reader', 'Dr Lung Patch', 'effusion excluded']);
  assert.deepEqual(await call('cases.labelBytes', [v1.id]), lung);
  assert.ok(ws.store.patchDepth(v1.id) >= 1, 'stored as a patch against its parent');
  const audit = ws.store.audit.entries({ caseId }).filter((e) => e.action === 'label.save' && e.entity === `label_version:${v1.id}`);
  assert.deepEqual(
    [audit.length, audit[0]?.actor, audit[0]?.details['kind'], audit[0]?.entitySha256],
    [1, 'dr.lungpatch', 'lung', v1.sha256],
  );

  // the stored burden (after the reply) has the patched lung as its denominator: the live burden exactly
  const burden1 = (await call('cases.burden', [caseId])) as BurdenView;
  assert.deepEqual(burden1, new BurdenTally(volume, lung, lesion).result());
  assert.ok(burden1.lungVolumeMl < burden0.lungVolumeMl);
  assert.equal(ws.store.latestBurden(caseId)?.lungVersionId, v1.id);

  // the same map saved whole: same sha256, counts and stored burden
  const full = (await call('cases.saveLungLabels', [caseId, lung.slice(), v1.id, ''])) as LabelVersionInfo;
  assert.equal(full.sha256, v1.sha256);
  assert.deepEqual(full.counts, v1.counts);
  assert.deepEqual(await call('cases.burden', [caseId]), burden1);

  // a patch repainting a region (values 1 and 2), from the full save as parent, and an empty patch
  const painted = [...stroke(lung, 4000, 100, 1), ...stroke(lung, 4100, 50, 2)];
  const v3 = (await call('labelPatches.saveLungPatch', [caseId, patchOf(lung, painted), full.id, sha(lung), ''])) as LabelVersionInfo;
  assert.deepEqual(await call('cases.labelBytes', [v3.id]), lung);
  const v4 = (await call('labelPatches.saveLungPatch', [caseId, patchOf(lung, []), v3.id, sha(lung), ''])) as LabelVersionInfo;
  assert.equal(v4.sha256, v3.sha256);
  assert.deepEqual(await call('cases.burden', [caseId]), new BurdenTally(volume, lung, lesion).result());
});

test('refused lung patches store nothing and carry their code; values other than 0/1/2 are refused as the full save refuses them', async () => {
  const { caseId, lung, lung0 } = await caseWithLung();
  const v1 = (await call('cases.saveLungLabels', [caseId, lung.slice(), lung0.id, 'another save'])) as LabelVersionInfo;
  const before = lungVersions(caseId);
  const body = async (args: unknown[]) =>
    toErrorBody(
      await call('labelPatches.saveLungPatch', args).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      ),
    );
  const mine = lung.slice();
  const marked = stroke(mine, 3000, 40, 0);
  const stale = await body([caseId, patchOf(mine, marked), lung0.id, sha(mine), '']);
  assert.deepEqual([stale.code, stale.reason], ['conflict', 'stale-parent']);
  assert.match(stale.message, new RegExp(`newer lung version ${v1.version} `));
  const mismatch = await body([caseId, patchOf(mine, marked), v1.id, sha(lung), '']);
  assert.deepEqual([mismatch.code, mismatch.reason], ['conflict', 'patch-mismatch']);
  const good = encodeLabelPatch([{ start: 3000, length: 40 }], mine);
  const corrupt = await body([caseId, good.subarray(0, good.length - 3), v1.id, sha(mine), '']);
  assert.deepEqual([corrupt.code, corrupt.reason], ['invalid-arguments', 'corrupt-patch']);
  const outside = await body([caseId, encodeLabelPatch([{ start: n - 4, length: 8 }], new Uint8Array(n + 4)), v1.id, sha(mine), '']);
  assert.equal(outside.reason, 'corrupt-patch');
  const bad = mine.slice();
  bad[3005] = 3;
  await assert.rejects(
    call('labelPatches.saveLungPatch', [caseId, patchOf(bad, marked), v1.id, sha(bad), '']),
    /0 \(outside\), 1 \(right\) or 2 \(left\); found 3 \(1 voxels\)/,
  );
  const lesionV = ws.store.latestLabelVersion(caseId, 'lesion');
  assert.ok(lesionV);
  await assert.rejects(
    call('labelPatches.saveLungPatch', [caseId, patchOf(mine, marked), lesionV.id, sha(mine), '']),
    /not a lung version/,
  );
  assert.equal(lungVersions(caseId), before, 'no lung version stored by any refusal');
  // after the refusals the right parent still works
  const ok = (await call('labelPatches.saveLungPatch', [caseId, patchOf(mine, marked), v1.id, sha(mine), ''])) as LabelVersionInfo;
  assert.deepEqual(await call('cases.labelBytes', [ok.id]), mine);
});

test('a lung autosave staged as a patch holds the full mask in the lung slot; refusals leave the slot as it was', async () => {
  const { caseId, lung, lung0 } = await caseWithLung();
  await call('lungAutosave.discard', [caseId]);
  await call('autosave.discard', [caseId]);
  const marked = stroke(lung, 2500, 64, 0);
  const stage = (patch: Uint8Array, digest: string) => call('labelPatches.stageLungPatch', [caseId, patch, lung0.id, digest]);
  assert.match(((await stage(patchOf(lung, marked), sha(lung))) as { savedAt: string }).savedAt, /^\d{4}-/);
  const info = (await call('lungAutosave.recover', [caseId])) as { kind: string; parentVersionId: number; sha256: string };
  assert.deepEqual([info.kind, info.parentVersionId, info.sha256], ['recovered', lung0.id, sha(lung)]);
  assert.deepEqual(await call('lungAutosave.recoveredBytes', [caseId]), lung);
  assert.deepEqual(await call('autosave.recover', [caseId]), { kind: 'none' }, 'the lesion slot is not the lung slot');

  const next = lung.slice();
  const more = [...marked, ...stroke(next, 5000, 10, 2)];
  const refusal = async (patch: Uint8Array, digest: string) =>
    toErrorBody(
      await stage(patch, digest).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      ),
    );
  assert.equal((await refusal(patchOf(next, more), sha(lung))).reason, 'patch-mismatch');
  assert.equal((await refusal(new Uint8Array(9), sha(next))).reason, 'corrupt-patch');
  const bad = next.slice();
  bad[5001] = 7;
  assert.match((await refusal(patchOf(bad, more), sha(bad))).message, /lung labels are 0, 1 or 2; found 7/);
  assert.deepEqual(await call('lungAutosave.recoveredBytes', [caseId]), lung, 'the earlier slot is untouched');
  await stage(patchOf(next, more), sha(next));
  assert.deepEqual(await call('lungAutosave.recoveredBytes', [caseId]), next);
});

test('a saved lung version drops the lung autosave slot, whichever session staged it (patch or full save)', async () => {
  const { caseId, lung, lung0 } = await caseWithLung();
  const recoverKind = async (): Promise<string> => ((await call('lungAutosave.recover', [caseId])) as { kind: string }).kind;
  // an earlier session staged edits; this session restored them and saves without staging anything itself
  const erased = stroke(lung, 2048, 100, 0);
  await call('labelPatches.stageLungPatch', [caseId, patchOf(lung, erased), lung0.id, sha(lung)]);
  assert.equal(await recoverKind(), 'recovered');
  const v1 = (await call('labelPatches.saveLungPatch', [caseId, patchOf(lung, erased), lung0.id, sha(lung), ''])) as LabelVersionInfo;
  assert.equal(await recoverKind(), 'none', 'the saved version supersedes the slot: no false recovery banner later');
  await call('lungAutosave.stage', [caseId, lung.slice(), v1.id]);
  assert.equal(await recoverKind(), 'recovered');
  await call('cases.saveLungLabels', [caseId, lung.slice(), v1.id, '']);
  assert.equal(await recoverKind(), 'none');
});
