// Retraining from the workstation: the job exports the signed cases, runs the trainer (a stand-in
// with the same arguments, output and files as `python -m lungburden.retrain`, so this test needs
// no Python), registers the new bundle only when accepted, and records every run for the Models
// panel. The real trainer is covered by models/training/tests/test_retrain.py.
import { acknowledgeBlockingQc, TEST_PASSWORD } from '../../support/test-readers.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation, type Workstation } from '../../../electron/app/workstation.ts';
import { createDispatcher, type Dispatch } from '../../../electron/ipc/dispatcher.ts';
import { listRetrainRuns, readRetrainRun, writeRunRecord } from '../../../electron/services/training/retrain-history.ts';
import { RetrainError, runRetrainCommand } from '../../../electron/services/training/retrain-runner.ts';
import { parseTrainerLine } from '../../../shared/contracts/retraining/trainer-line.ts';
import { workstationContract, type JobInfo, type ModelInfo, type RetrainRunView } from '../../../shared/contracts/workstation.ts';
import type { CaseDetail } from '../../../shared/domain/case.ts';
import { writeNifti } from '../../../shared/nifti/write-nifti.ts';
import { chestPhantom } from '../../e2e/support/chest-phantom.ts';
import { waitContractJob } from '../../support/wait-contract-job.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const FAKE = join(REPO_ROOT, 'test', 'fixtures', 'fake-retrain', 'fake-python.mjs');
let dir: string;
let ws: Workstation;
let call: Dispatch;

const waitJob = (job: JobInfo): Promise<JobInfo> => waitContractJob(call, job);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lb-retrain-'));
  const nifti = join(dir, 'phantom.nii.gz');
  writeFileSync(nifti, writeNifti(chestPhantom([64, 56, 12], [5, 5, 20])));
  ws = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
    retrainPython: FAKE,
  });
  call = createDispatcher(workstationContract, ws.api);
  await call('readers.createFirstAdmin', ['dr.reader', 'Dr Reader', TEST_PASSWORD]);
  await call('models.setActive', ['identity-test', '1.0.0']);
  const imported = await waitJob((await call('jobs.importPath', [nifti])) as JobInfo);
  const caseId = imported.caseIds[0]!;
  assert.equal((await waitJob((await call('jobs.analyze', [caseId])) as JobInfo)).state, 'done');

  // no signed case yet: a clear refusal, and no run folder left behind
  const early = await waitJob((await call('jobs.retrain', [{ steps: 3, minDelta: 0 }])) as JobInfo);
  assert.equal(early.state, 'failed');
  assert.match(early.error ?? '', /no signed case/);
  const v = ((await call('cases.get', [caseId])) as CaseDetail).labelVersions.find((x) => x.kind === 'lesion')!;
  acknowledgeBlockingQc(ws.store, caseId);
  await call('cases.signOff', [caseId, v.id, TEST_PASSWORD]);
});
after(async () => {
  await ws.close();
  rmSync(dir, { recursive: true, force: true });
});

test('accepted: signed cases exported de-identified, new model registered and listed, comparison recorded', async () => {
  const job = await waitJob((await call('jobs.retrain', [{ steps: 5, minDelta: 0 }])) as JobInfo);
  assert.equal(job.state, 'done', job.error ?? '');
  assert.equal(job.kind, 'retrain');
  const runs = (await call('models.retrainRuns', [])) as RetrainRunView[];
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.state, 'registered');
  assert.equal(run.exportedCases, 1);
  assert.equal(run.steps, 5);
  assert.deepEqual(run.base, { name: 'identity-test', version: '1.0.0' });
  assert.equal(run.newVersion, '1.1.0-retrain.20261129T000000Z');
  assert.equal(run.gate?.metric, 'medseg_val_dice_lesion');
  const lesion = run.metrics.find((m) => m.key === 'medseg_val_dice_lesion')!;
  assert.ok(lesion.new! > lesion.old!);
  // the export is de-identified and holds only the signed version
  const manifest = JSON.parse(readFileSync(join(dir, 'data', 'retrain', run.id, 'export', 'manifest.json'), 'utf8')) as {
    deidentified: boolean;
    cases: { lesionVersion: { signed: boolean } }[];
  };
  assert.equal(manifest.deidentified, true);
  assert.ok(manifest.cases.every((c) => c.lesionVersion.signed));
  // the new model is listed as a user model, and the active model did not change by itself
  const models = (await call('models.list', [])) as ModelInfo[];
  const fresh = models.find((m) => m.version === run.newVersion)!;
  assert.equal(fresh.source, 'user');
  assert.equal(models.find((m) => m.active)?.version, '1.0.0');
});

test('refused: nothing registered, the comparison still shown; a second run while one runs is refused', async () => {
  process.env['FAKE_RETRAIN_MODE'] = 'refuse';
  try {
    const n0 = ((await call('models.list', [])) as ModelInfo[]).length;
    const job = await waitJob((await call('jobs.retrain', [{ steps: 2, minDelta: 0.01 }])) as JobInfo);
    assert.equal(job.state, 'done', job.error ?? '');
    const run = ((await call('models.retrainRuns', [])) as RetrainRunView[])[0]!;
    assert.equal(run.state, 'refused');
    assert.equal(run.newVersion, null);
    assert.equal(run.gate?.minDelta, 0.01);
    assert.equal(((await call('models.list', [])) as ModelInfo[]).length, n0);
    process.env['FAKE_RETRAIN_MODE'] = 'hang';
    const running = (await call('jobs.retrain', [{ steps: 2, minDelta: 0 }])) as JobInfo;
    await assert.rejects(call('jobs.retrain', [{ steps: 2, minDelta: 0 }]), /already running/);
    await new Promise((r) => setTimeout(r, 300));
    await call('jobs.cancel', [running.id]);
    const ended = await waitJob(running);
    assert.equal(ended.state, 'cancelled');
    const cancelled = ((await call('models.retrainRuns', [])) as RetrainRunView[])[0]!;
    assert.equal(cancelled.state, 'cancelled');
  } finally {
    delete process.env['FAKE_RETRAIN_MODE'];
  }
});

test('no training environment: a clear error before anything is exported', async () => {
  const before = ((await call('models.retrainRuns', [])) as RetrainRunView[]).length;
  const ws2 = await createWorkstation({
    dataDir: join(dir, 'data'),
    builtinModelsDir: join(REPO_ROOT, 'test', 'fixtures', 'models'),
    seedSample: false,
    retrainPython: join(dir, 'no-python'),
  });
  try {
    await ws2.api.readers.login('dr.reader', TEST_PASSWORD);
    const job = await ws2.jobs.wait((await ws2.api.jobs.retrain({ steps: 2, minDelta: 0 })).id);
    assert.equal(job.state, 'failed');
    assert.match(job.error ?? '', /training environment is not installed.*setup-python/);
    assert.equal((await ws2.api.models.retrainRuns()).length, before);
  } finally {
    await ws2.close();
  }
});

test('bad options are refused at the gate', async () => {
  await assert.rejects(call('jobs.retrain', [{ steps: 0, minDelta: 0 }]));
  await assert.rejects(call('jobs.retrain', [{ steps: 10, minDelta: 'x' }]));
  await assert.rejects(call('jobs.retrain', [{ steps: 1e9, minDelta: 0 }]));
});

test('runner: a trainer crash is a RetrainError with the exit code; a missing export is refused early', async () => {
  const d = mkdtempSync(join(tmpdir(), 'lb-rr-'));
  try {
    const from = join(d, 'export');
    mkdirSync(from);
    await assert.rejects(runRetrainCommand({ from, dataDir: d, python: FAKE, log: () => undefined }), /not a training export/);
    writeFileSync(join(from, 'manifest.json'), JSON.stringify({ cases: [{ case: 'x' }] }));
    process.env['FAKE_RETRAIN_MODE'] = 'crash';
    const lines: string[] = [];
    const steps: number[] = [];
    await assert.rejects(
      runRetrainCommand({ from, dataDir: d, python: FAKE, steps: 3, log: (l) => lines.push(l), onProgress: (s) => steps.push(s) }),
      (e: unknown) => e instanceof RetrainError && e.exitCode === 1,
    );
    assert.deepEqual(steps, [1, 2, 3]);
    assert.ok(lines.some((l) => l.includes('RuntimeError: fake failure')));
    await assert.rejects(runRetrainCommand({ from, dataDir: d, python: join(d, 'no-python'), log: () => undefined }), /Python not found/);
  } finally {
    delete process.env['FAKE_RETRAIN_MODE'];
    rmSync(d, { recursive: true, force: true });
  }
});

test('history: damaged or interrupted runs are shown as failed with the reason, others unaffected', () => {
  const root = mkdtempSync(join(tmpdir(), 'lb-rh-'));
  try {
    const base = { startedAt: '2026-11-29T10:00:00Z', finishedAt: null, steps: 10, minDelta: 0, error: null, exportedCases: 1 };
    mkdirSync(join(root, '20261129T100000Z'));
    writeRunRecord(join(root, '20261129T100000Z'), { ...base, state: 'running', pid: 999_999_999 });
    mkdirSync(join(root, '20261129T110000Z'));
    writeFileSync(join(root, '20261129T110000Z', 'run.json'), '{ truncated');
    mkdirSync(join(root, '20261129T120000Z'));
    writeRunRecord(join(root, '20261129T120000Z'), { ...base, state: 'running', pid: process.pid });
    mkdirSync(join(root, 'not-a-run'));
    mkdirSync(join(root, '20261129T130000Z')); // empty: ignored
    const runs = listRetrainRuns(root);
    assert.deepEqual(
      runs.map((r) => r.id),
      ['20261129T120000Z', '20261129T110000Z', '20261129T100000Z'],
    );
    assert.equal(runs[0]!.state, 'running');
    assert.equal(runs[1]!.state, 'failed');
    assert.match(runs[1]!.error ?? '', /run.json unreadable/);
    assert.equal(runs[2]!.state, 'failed');
    assert.match(runs[2]!.error ?? '', /interrupted/);
    assert.equal(readRetrainRun(join(root, 'not-a-run'), 'not-a-run'), null);
    assert.ok(!existsSync(join(root, '20261129T130000Z', 'run.json')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('trainer progress lines are parsed; other lines are not', () => {
  assert.deepEqual(parseTrainerLine('{"step": 20, "loss": 0.6, "loss_ema": 0.6, "lr": 0.0001, "elapsed_s": 3, "eta_s": 12.5}'), {
    step: 20,
    loss: 0.6,
    loss_ema: 0.6,
    lr: 0.0001,
    elapsed_s: 3,
    eta_s: 12.5,
  });
  assert.equal(parseTrainerLine('{"step": 20, "loss": 0.6, "eta_s": 12.5}'), null); // breaks the contract: not a progress line
  assert.equal(parseTrainerLine('retrain: evaluating'), null);
  assert.equal(parseTrainerLine('{"step": oops'), null);
});
