// The QC hold on sign-off, through the same typed contract the renderer uses: a case with a
// blocking scan QC flag is refused sign-off (server side, with the flag's sentence) until a reader
// acknowledges the flag with a reason; the acknowledgement is recorded, shown and immutable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { workstationContract, type JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseQc, CaseQcSummary } from '../../../shared/contracts/qc.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { caseReportData } from '../../../electron/services/reports/report-service.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { signInOverApi, TEST_PASSWORD } from '../../support/test-readers.ts';

let dir: string;
let ws: Workstation;
let call: Dispatch;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-qc-ws-'));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
  });
  call = createDispatcher(workstationContract, ws.api);
  await signInOverApi(ws.api, 'dr.qc', 'Dr QC');
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const waitJob = (job: JobInfo): Promise<JobInfo> => waitContractJob(call, job);

test('a blocking QC flag refuses sign-off until acknowledged with a reason, which is recorded', async () => {
  // 12 slices: fewer than the 20 the burden needs (blocking `too-few-slices`).
  const path = join(dir, 'short.nii.gz');
  writeFileSync(path, writeNifti(chestPhantom([96, 80, 12], [3.5, 3.5, 6])));
  const imported = await waitJob((await call('jobs.importPath', [path])) as JobInfo);
  const caseId = imported.caseIds[0]!;
  const onImport = (await call('qc.flags', [caseId])) as CaseQc;
  assert.equal(onImport.stage, 'import');
  assert.deepEqual(onImport.unacknowledgedBlocking, ['too-few-slices']);

  assert.equal((await waitJob((await call('jobs.analyze', [caseId])) as JobInfo)).state, 'done');
  const qc = (await call('qc.flags', [caseId])) as CaseQc;
  assert.equal(qc.stage, 'analysis');
  assert.ok(qc.unacknowledgedBlocking.includes('too-few-slices'));
  const summary = ((await call('qc.summaries', [])) as CaseQcSummary[]).find((s) => s.caseId === caseId)!;
  assert.ok(summary.blocking >= 1 && summary.unacknowledgedBlocking === summary.blocking);

  const model = ((await call('cases.get', [caseId])) as { labelVersions: LabelVersionInfo[] }).labelVersions.find(
    (v) => v.kind === 'lesion',
  )!;
  const labels = (await call('cases.labelBytes', [model.id])) as Uint8Array;
  const saved = (await call('cases.saveLesionLabels', [caseId, labels, model.id, 'checked'])) as LabelVersionInfo;

  await assert.rejects(call('cases.signOff', [caseId, saved.id, TEST_PASSWORD]), (e: Error & { code?: string }) => {
    assert.match(e.message, /sign-off refused: .*blocking QC flag.*too-few-slices.*only 12 slices/);
    return true;
  });
  assert.equal(((await call('cases.get', [caseId])) as { status: string }).status, 'in-review', 'nothing was signed');

  // A reason is required (refused at the gate), and only for a flag the case has.
  await assert.rejects(call('qc.acknowledge', [caseId, 'too-few-slices', '  ']));
  await assert.rejects(call('qc.acknowledge', [caseId, 'no-such-flag', 'because']), /no QC flag/);
  let after: CaseQc = qc;
  for (const code of qc.unacknowledgedBlocking) {
    after = (await call('qc.acknowledge', [
      caseId,
      code,
      'Limited study on purpose: research protocol slab, burden read as partial',
    ])) as CaseQc;
  }
  assert.deepEqual(after.unacknowledgedBlocking, []);
  const ack = after.flags.find((f) => f.code === 'too-few-slices')!.acknowledgement!;
  assert.match(ack.reader, /^Dr QC \(dr\.qc, admin\)$/);
  assert.match(ack.reason, /research protocol/);

  const signed = (await call('cases.signOff', [caseId, saved.id, TEST_PASSWORD])) as LabelVersionInfo;
  assert.equal(signed.signed, true);
  // The acknowledgement is on the report and cannot be changed or removed.
  const report = caseReportData(ws.store, caseId);
  assert.match(report.qc.find((f) => f.code === 'too-few-slices')?.acknowledgement?.reader ?? '', /^Dr QC/);
  assert.ok(
    ws.store.audit.entries().some((e) => e.action === 'qc.acknowledge' && e.caseId === caseId),
    'the acknowledgement is in the audit trail',
  );
  assert.throws(() => ws.store.db.prepare(`UPDATE qc_acknowledgements SET reason = 'x'`).run(), /immutable/);
  assert.throws(() => ws.store.db.prepare('DELETE FROM qc_acknowledgements').run(), /never deleted/);
});
