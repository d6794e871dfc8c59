// cases.saveLungLabels end to end through the contract: a reader's corrected lung mask becomes a new
// lung version (reader author, audited), values other than 0/1/2 are refused, the stored burden's
// denominator follows the new lung version, and a signed result keeps the lung version it bound.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type BurdenView, type JobInfo } from '../../../shared/contracts/workstation.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';

let dir: string;
let ws: Workstation;
let call: Dispatch;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-lung-'));
  const niftiPath = join(dir, 'phantom.nii.gz');
  writeFileSync(niftiPath, writeNifti(chestPhantom([96, 80, 40], [3.5, 3.5, 6])));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.createFirstAdmin', ['admin', 'Test Admin', TEST_PASSWORD]);
  await call('readers.create', ['dr.lung', 'Dr Lung', 'reader', TEST_PASSWORD]);
  await call('readers.login', ['dr.lung', TEST_PASSWORD]);
  const imported = await waitJob((await call('jobs.importPath', [niftiPath])) as JobInfo);
  assert.equal(imported.state, 'done', imported.error ?? '');
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitJob = (job: JobInfo): Promise<JobInfo> => waitContractJob(call, job);

const latest = (d: CaseDetail, kind: 'lesion' | 'lung'): LabelVersionInfo => {
  const v = d.labelVersions.filter((x) => x.kind === kind).sort((a, b) => b.version - a.version)[0];
  assert.ok(v, `no ${kind} version`);
  return v;
};

test('a saved lung version is the new denominator; bad values refused; audited; the signed result keeps its lung', async () => {
  const caseId = ws.store.listCases()[0]!.id;
  const analyzed = await waitJob((await call('jobs.analyze', [caseId])) as JobInfo);
  assert.equal(analyzed.state, 'done', analyzed.error ?? '');
  const d0 = (await call('cases.get', [caseId])) as CaseDetail;
  const lung0 = latest(d0, 'lung');
  const lesion = latest(d0, 'lesion');
  const burden0 = (await call('cases.burden', [caseId])) as BurdenView;
  const lung = (await call('cases.labelBytes', [lung0.id])) as Uint8Array;

  // values other than 0/1/2 are refused, nothing saved
  const bad = lung.slice();
  bad[5] = 3;
  await assert.rejects(
    call('cases.saveLungLabels', [caseId, bad, lung0.id, '']),
    /0 \(outside\), 1 \(right\) or 2 \(left\); found 3 \(1 voxels\)/,
  );
  // the parent must be a lung version of the case
  await assert.rejects(call('cases.saveLungLabels', [caseId, lung, lesion.id, '']), /not a lung version/);
  // nobody signed in: refused
  await call('readers.logout', []);
  await assert.rejects(call('cases.saveLungLabels', [caseId, lung, lung0.id, '']), /sign in first/);
  await call('readers.login', ['dr.lung', TEST_PASSWORD]);
  assert.equal(latest((await call('cases.get', [caseId])) as CaseDetail, 'lung').id, lung0.id);

  // sign the AI's lesion version with the current lung: the result binds lung0
  const signed = (await call('cases.signOff', [caseId, lesion.id, TEST_PASSWORD])) as LabelVersionInfo;
  assert.equal(signed.signature?.lungSha256, lung0.sha256);

  // erase the right lung on the middle slice (k = 20): the denominator drops by exactly that volume
  const [nI, nJ] = d0.geometry.size;
  const edited = lung.slice();
  let erased = 0;
  for (let p = 20 * nI * nJ; p < 21 * nI * nJ; p++)
    if (edited[p] === 1) {
      edited[p] = 0;
      erased++;
    }
  assert.ok(erased > 50, `erased ${erased} right-lung voxels`);
  const saved = (await call('cases.saveLungLabels', [caseId, edited, lung0.id, 'pleural effusion excluded'])) as LabelVersionInfo;
  assert.equal(saved.kind, 'lung');
  assert.equal(saved.version, lung0.version + 1);
  assert.equal(saved.parentId, lung0.id);
  assert.equal(saved.author.kind, 'reader');
  assert.equal(saved.author.name, 'Dr Lung');
  assert.equal(saved.note, 'pleural effusion excluded');

  const burden1 = (await call('cases.burden', [caseId])) as BurdenView;
  const voxelMl = (3.5 * 3.5 * 6) / 1000;
  assert.ok(
    Math.abs(burden0.lungVolumeMl - burden1.lungVolumeMl - erased * voxelMl) < 1e-6,
    `lung ${burden0.lungVolumeMl} → ${burden1.lungVolumeMl} mL, erased ${erased * voxelMl} mL`,
  );
  const rec = ws.store.latestBurden(caseId);
  assert.equal(rec?.lungVersionId, saved.id);
  assert.equal(rec.lesionVersionId, signed.id);

  // the audit trail names the reader and the lung version
  const entry = ws.store.audit.entries({ caseId }).filter((e) => e.action === 'label.save' && e.entity === `label_version:${saved.id}`);
  assert.equal(entry.length, 1);
  assert.equal(entry[0]!.actor, 'dr.lung');
  assert.equal(entry[0]!.details['kind'], 'lung');
  assert.equal(entry[0]!.entitySha256, saved.sha256);

  // the signed result keeps the lung version its signature bound (and its burden)
  const result = ws.store.caseResult(caseId);
  assert.equal(result?.lungVersion, lung0.version);
  assert.equal(ws.store.reportedBurden(caseId)?.lungVersionId, lung0.id);
});
