// The composition root end to end, through the same typed contract the renderer uses (dispatcher
// included): import a NIfTI → run AI (identity-test model bundle) → save reader edits → sign off →
// versions, burden and comparison as expected. Real SQLite, real worker, real onnxruntime.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract } from '../../../shared/contracts/workstation.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import type { CaseSummary, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { READ_SIGNATURE_MEANING } from '../../../shared/domain/reader.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';

let dir: string;
let ws: Workstation;
let call: Dispatch;
let niftiPath: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-ws-'));
  niftiPath = join(dir, 'phantom.nii.gz');
  writeFileSync(niftiPath, writeNifti(chestPhantom([96, 80, 40], [3.5, 3.5, 6])));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.createFirstAdmin', ['admin', 'Test Admin', TEST_PASSWORD]);
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitJob = (job: JobInfo): Promise<JobInfo> => waitContractJob(call, job);

test('import → AI → edit → save → sign off, through the contract', async () => {
  const imported = await waitJob((await call('jobs.importPath', [niftiPath])) as JobInfo);
  assert.equal(imported.state, 'done', imported.error ?? '');
  const caseId = imported.caseIds[0]!;
  // importing again does not duplicate
  const again = await waitJob((await call('jobs.importPath', [niftiPath])) as JobInfo);
  assert.deepEqual(again.caseIds, [caseId]);
  assert.equal(((await call('cases.list', [])) as CaseSummary[]).length, 1);

  const analyzed = await waitJob((await call('jobs.analyze', [caseId])) as JobInfo);
  assert.equal(analyzed.state, 'done', analyzed.error ?? '');
  const detail = (await call('cases.get', [caseId])) as { status: string; labelVersions: LabelVersionInfo[]; geometry: { size: number[] } };
  assert.equal(detail.status, 'ai-done');
  const modelVersion = detail.labelVersions.find((v) => v.kind === 'lesion')!;
  assert.equal(modelVersion.author.kind, 'model');
  assert.equal(modelVersion.author.modelName, 'identity-test');
  assert.ok(detail.labelVersions.some((v) => v.kind === 'lung'));
  const burden0 = (await call('cases.burden', [caseId])) as { lungVolumeMl: number; ggoVolumeMl: number; burdenPercent: number };
  assert.ok(burden0.lungVolumeMl > 100, `lung volume ${burden0.lungVolumeMl}`);

  // reader paints 10 GGO voxels inside the lung where there was background
  await assert.rejects(call('cases.saveLesionLabels', [caseId, new Uint8Array(3), null, '']));
  await call('readers.logout', []);
  await assert.rejects(
    call('cases.saveLesionLabels', [caseId, (await call('cases.labelBytes', [modelVersion.id])) as Uint8Array, modelVersion.id, 'x']),
    /sign in first/,
  );
  await call('readers.login', ['admin', TEST_PASSWORD]);
  await call('readers.create', ['dr.reader', 'Dr Reader', 'reader', TEST_PASSWORD]);
  await call('readers.login', ['dr.reader', TEST_PASSWORD]);
  const labels = (await call('cases.labelBytes', [modelVersion.id])) as Uint8Array;
  const lung = (await call('cases.labelBytes', [detail.labelVersions.find((v) => v.kind === 'lung')!.id])) as Uint8Array;
  let painted = 0;
  for (let p = 0; p < labels.length && painted < 10; p++) {
    if (lung[p] !== 0 && labels[p] === 0) {
      labels[p] = 1;
      painted++;
    }
  }
  const saved = (await call('cases.saveLesionLabels', [caseId, labels, modelVersion.id, 'corrected'])) as LabelVersionInfo;
  assert.equal(saved.version, 2);
  assert.equal(saved.parentId, modelVersion.id);
  assert.equal(saved.author.name, 'Dr Reader');
  const burden1 = (await call('cases.burden', [caseId])) as { ggoVolumeMl: number };
  const voxelMl = (3.5 * 3.5 * 6) / 1000;
  assert.ok(Math.abs(burden1.ggoVolumeMl - burden0.ggoVolumeMl - 10 * voxelMl) < 1e-9, 'burden changed by the painted volume');

  const cmp = (await call('cases.compareVersions', [modelVersion.id, saved.id])) as {
    volumeMl: { a: { ggo: number }; b: { ggo: number } };
  };
  assert.ok(Math.abs(cmp.volumeMl.b.ggo - cmp.volumeMl.a.ggo - 10 * voxelMl) < 1e-9);

  await assert.rejects(call('cases.signOff', [caseId, saved.id, 'wrong password']), /wrong password/);
  const signed = (await call('cases.signOff', [caseId, saved.id, TEST_PASSWORD])) as LabelVersionInfo;
  assert.equal(signed.signed, true);
  assert.equal(signed.signature?.readerName, 'Dr Reader');
  assert.equal(signed.signature.meaning, READ_SIGNATURE_MEANING);
  const rows = (await call('cases.list', [])) as CaseSummary[];
  assert.equal(rows[0]!.status, 'signed');
  assert.equal(rows[0]!.lastReader, 'Dr Reader');
  assert.equal(rows[0]!.modelVersion, 'identity-test 1.0.0');
  assert.equal(rows[0]!.result?.lesionVersion, 2);
  const signedBurden = rows[0]!.burdenPercent;

  // Re-running the AI on the signed case adds an unsigned model version; the signed one stays the result.
  assert.equal((await waitJob((await call('jobs.analyze', [caseId])) as JobInfo)).state, 'done');
  const after = ((await call('cases.list', [])) as CaseSummary[])[0]!;
  assert.equal(after.status, 'signed');
  assert.equal(after.result?.lesionVersion, 2);
  assert.equal(after.burdenPercent, signedBurden);
  const versions = ((await call('cases.get', [caseId])) as { labelVersions: LabelVersionInfo[] }).labelVersions.filter(
    (v) => v.kind === 'lesion',
  );
  assert.deepEqual(
    versions.map((v) => [v.version, v.author.kind, v.signed]),
    [
      [1, 'model', false],
      [2, 'reader', true],
      [3, 'model', false],
    ],
  );
  const audit = (await call('audit.verify', [])) as { ok: boolean; problems: unknown[] };
  assert.deepEqual(audit.problems, []);
});

test('relative paths, traversal and unknown cases are refused at the gate', async () => {
  await assert.rejects(call('jobs.importPath', ['relative/dir']), /absolute/);
  await assert.rejects(call('jobs.importPath', ['/tmp/../etc/passwd']), /\.\./);
  await assert.rejects(call('cases.get', [123456]), /does not exist/);
  await assert.rejects(call('cases.get', [-1]), /invalid arguments/);
});

test('a path that is not importable fails the job with a clear message', async () => {
  const bad = join(dir, 'not-ct');
  writeFileSync(bad, 'hello');
  const j = await waitJob((await call('jobs.importPath', [bad])) as JobInfo);
  assert.equal(j.state, 'failed');
  assert.match(j.error ?? '', /neither a DICOM folder nor a NIfTI file/);
});

test('autosave: stage, recover after restart, discard on save', async () => {
  const rows = (await call('cases.list', [])) as CaseSummary[];
  const caseId = rows[0]!.id;
  const detail = (await call('cases.get', [caseId])) as { labelVersions: LabelVersionInfo[] };
  const latest = detail.labelVersions.filter((v) => v.kind === 'lesion').at(-1)!;
  const bytes = (await call('cases.labelBytes', [latest.id])) as Uint8Array;
  bytes[0] = 2;
  await assert.rejects(call('autosave.stage', [caseId, new Uint8Array(5), latest.id]), /voxels/);
  await call('autosave.stage', [caseId, bytes, latest.id]);
  // a new workstation on the same data folder (app restart) finds the edits
  await ws.close();
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.login', ['dr.reader', TEST_PASSWORD]);
  assert.deepEqual(await call('autosave.pending', []), [caseId]);
  const info = (await call('autosave.recover', [caseId])) as { kind: string; parentVersionId: number };
  assert.equal(info.kind, 'recovered');
  assert.equal(info.parentVersionId, latest.id);
  assert.deepEqual(await call('autosave.recoveredBytes', [caseId]), bytes);
  await call('cases.saveLesionLabels', [caseId, bytes, latest.id, 'recovered edits']);
  assert.deepEqual(await call('autosave.pending', []), []);
  assert.equal(((await call('autosave.recover', [caseId])) as { kind: string }).kind, 'none');
});

test('models.list marks exactly one bundle active', async () => {
  const models = (await call('models.list', [])) as { name: string; active: boolean }[];
  assert.ok(models.length >= 1);
  assert.equal(models.filter((m) => m.active).length, 1);
});

test('switching the active model keeps older label versions; unknown bundles are refused', async () => {
  const models = (await call('models.list', [])) as { name: string; version: string; active: boolean }[];
  const other = models.find((m) => !m.active)!;
  const after = (await call('models.setActive', [other.name, other.version])) as { name: string; active: boolean }[];
  assert.equal(after.find((m) => m.active)!.name, other.name);
  await assert.rejects(call('models.setActive', ['no-such-model', '9.9.9']), /no valid model bundle/);
  const caseId = ((await call('cases.list', [])) as CaseSummary[])[0]!.id;
  const before = ((await call('cases.get', [caseId])) as { labelVersions: LabelVersionInfo[] }).labelVersions.length;
  const j = await waitJob((await call('jobs.analyze', [caseId])) as JobInfo);
  assert.equal(j.state, 'done', j.error ?? '');
  const versions = ((await call('cases.get', [caseId])) as { labelVersions: LabelVersionInfo[] }).labelVersions;
  assert.equal(versions.length, before + 1, 'a new version, the older ones kept');
  assert.equal(versions.filter((v) => v.kind === 'lesion').at(-1)!.author.modelName, other.name);
});
