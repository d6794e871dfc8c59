// lungAutosave.* end to end through the contract: lung-mask edits are staged in their own slot (a
// lesion autosave never replaces them), recovered with their parent lung version and bytes,
// values other than 0/1/2 or a wrong size or a lesion parent are refused, discard empties the slot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type JobInfo } from '../../../shared/contracts/workstation.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import type { CaseDetail } from '../../../shared/domain/case.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';

let dir: string;
let ws: Workstation;
let call: Dispatch;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-lung-autosave-'));
  const niftiPath = join(dir, 'phantom.nii.gz');
  writeFileSync(niftiPath, writeNifti(chestPhantom([64, 56, 16], [5, 5, 12])));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.createFirstAdmin', ['admin', 'Test Admin', TEST_PASSWORD]);
  await call('readers.create', ['dr.lung', 'Dr Lung', 'reader', TEST_PASSWORD]);
  await call('readers.login', ['dr.lung', TEST_PASSWORD]);
  const imported = await waitContractJob(call, (await call('jobs.importPath', [niftiPath])) as JobInfo);
  assert.equal(imported.state, 'done', imported.error ?? '');
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

test('lung edits are staged in their own slot, recovered, checked, and discarded', async () => {
  const caseId = ws.store.listCases()[0]!.id;
  const analyzed = await waitContractJob(call, (await call('jobs.analyze', [caseId])) as JobInfo);
  assert.equal(analyzed.state, 'done', analyzed.error ?? '');
  const d = (await call('cases.get', [caseId])) as CaseDetail;
  const lungV = d.labelVersions.find((v) => v.kind === 'lung');
  const lesionV = d.labelVersions.find((v) => v.kind === 'lesion');
  assert.ok(lungV && lesionV);
  const lung = (await call('cases.labelBytes', [lungV.id])) as Uint8Array;
  assert.deepEqual(await call('lungAutosave.recover', [caseId]), { kind: 'none' });

  const edited = lung.slice();
  for (let q = 0; q < edited.length; q += 11) edited[q] = 1;
  const staged = (await call('lungAutosave.stage', [caseId, edited, lungV.id])) as { savedAt: string };
  assert.match(staged.savedAt, /^\d{4}-\d\d-\d\dT/);
  // a lesion autosave goes to the other slot and leaves the lung edits alone
  await call('autosave.stage', [caseId, new Uint8Array(edited.length), lesionV.id]);
  const info = (await call('lungAutosave.recover', [caseId])) as { kind: string; parentVersionId: number };
  assert.equal(info.kind, 'recovered');
  assert.equal(info.parentVersionId, lungV.id);
  assert.deepEqual(await call('lungAutosave.recoveredBytes', [caseId]), edited);

  const bad = edited.slice();
  bad[5] = 3;
  await assert.rejects(call('lungAutosave.stage', [caseId, bad, lungV.id]), /lung labels are 0, 1 or 2/);
  await assert.rejects(call('lungAutosave.stage', [caseId, edited.subarray(1), lungV.id]), /voxels/);
  await assert.rejects(call('lungAutosave.stage', [caseId, edited, lesionV.id]), /not a lung version/);
  assert.deepEqual(await call('lungAutosave.recoveredBytes', [caseId]), edited, 'refused stages leave the slot as it was');

  await call('lungAutosave.discard', [caseId]);
  assert.deepEqual(await call('lungAutosave.recover', [caseId]), { kind: 'none' });
  await call('autosave.discard', [caseId]);
});
