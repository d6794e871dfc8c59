// LUNG_BURDEN_LUNG_MASK=combined end to end: an analysis (workstation job: compute worker +
// onnxruntime) stores the combined lung mask as the algorithm's lung version, authored by both
// masks, with the note that keeps the classical and learned volumes, and the QC run reads it back.
// An unknown mode is refused with a clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type JobInfo } from '../../../shared/contracts/workstation.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { parseLungMaskNote } from '../../../shared/qc/lung-mask-note.ts';
import { lungMaskMode } from '../../../electron/services/lung-net/compute-lung-mask.ts';
import { caseLungMaskComparison } from '../../../electron/services/lung-net/case-lung-mask-comparison.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import type { CaseDetail } from '../../../shared/domain/case.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { TEST_PASSWORD } from '../../support/test-readers.ts';

let dir: string;
let ws: Workstation;
let call: Dispatch;
const before_ = process.env['LUNG_BURDEN_LUNG_MASK'];

before(async () => {
  process.env['LUNG_BURDEN_LUNG_MASK'] = 'combined'; // read by the compute workers started below
  dir = mkdtempSync(join(tmpdir(), 'lb-lungnet-'));
  const niftiPath = join(dir, 'phantom.nii.gz');
  writeFileSync(niftiPath, writeNifti(chestPhantom([96, 80, 40], [3.5, 3.5, 6])));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.createFirstAdmin', ['admin', 'Test Admin', TEST_PASSWORD]);
  await call('readers.login', ['admin', TEST_PASSWORD]);
  const imported = await waitContractJob(call, (await call('jobs.importPath', [niftiPath])) as JobInfo);
  assert.equal(imported.state, 'done', imported.error ?? '');
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
  if (before_ === undefined) delete process.env['LUNG_BURDEN_LUNG_MASK'];
  else process.env['LUNG_BURDEN_LUNG_MASK'] = before_;
});

test('the combined mask is stored with both authors and its volumes; QC reads them back', async () => {
  const caseId = ws.store.listCases()[0]!.id;
  const analyzed = await waitContractJob(call, (await call('jobs.analyze', [caseId])) as JobInfo);
  assert.equal(analyzed.state, 'done', analyzed.error ?? '');
  const d = (await call('cases.get', [caseId])) as CaseDetail;
  const lung = d.labelVersions.find((v) => v.kind === 'lung');
  assert.ok(lung);
  assert.equal(lung.author.kind, 'algorithm');
  assert.match(lung.author.name, /classical lung mask v1 \+ lung-burden-lungnet 1\.0\.0$/);
  const c = parseLungMaskNote(lung.note);
  assert.ok(c, `note: ${lung.note}`);
  assert.ok(c.classicalMl > 0 && c.learnedMl > 0);
  const counted = (lung.counts[1] ?? 0) + (lung.counts[2] ?? 0);
  assert.ok(counted > 0);
  assert.deepEqual(caseLungMaskComparison(ws.store, caseId), c);
});

test('an unknown lung mask mode is refused', () => {
  assert.throws(() => lungMaskMode({ LUNG_BURDEN_LUNG_MASK: 'learned' }), /must be "classical" or "combined"/);
  assert.equal(lungMaskMode({}), 'combined');
});
