// The TypeScript side with the REAL trainer: the workstation exports a signed case, the runner starts
// `python -m lungburden.retrain` in the project's venv (2 fine-tuning steps from the shipped model,
// evaluation on the MedSeg part of the fixed split only, to keep CI short), and registers the result
// only if the gate passes; either way comparison.json is read back as the Models panel reads it.
import { TEST_PASSWORD } from '../../support/test-readers.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkstation } from '../../../electron/app/workstation.ts';
import { deidentifierFor } from '../../../electron/services/exports/deid-salt.ts';
import { exportTrainingSet } from '../../../electron/services/exports/training-export.ts';
import { readRetrainRun } from '../../../electron/services/training/retrain-history.ts';
import { runRetrainCommand } from '../../../electron/services/training/retrain-runner.ts';
import { REPO_ROOT, sharedDataDir, SHARED_DATA_MISSING } from '../../support/shared-data.ts';

const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');
const SPLIT = join(REPO_ROOT, 'models', 'training', 'splits', 'validation.json');
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

test('real trainer: signed case → export → lungburden.retrain → comparison (and bundle if accepted)', { timeout: 600_000 }, async (t) => {
  if (!existsSync(PY)) {
    t.skip('.venv missing: run scripts/setup-python.sh');
    return;
  }
  if (!sharedDataDir()) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lb-retrain-real-'));
  const ws = await createWorkstation({ dataDir: join(dir, 'data'), seedSample: false });
  try {
    const splitBefore = sha(SPLIT);
    const caseId = ws.store.addSeries(
      (await import('../../../electron/services/analysis/import-any-path.ts').then((m) => m.importAnyPath(SAMPLE))).series[0]!,
    ).caseId;
    await ws.api.readers.createFirstAdmin('dr.real', 'Dr Real', TEST_PASSWORD);
    const ai = await ws.api.jobs.analyze(caseId);
    assert.equal((await ws.jobs.wait(ai.id)).state, 'done');
    const v = (await ws.api.cases.get(caseId)).labelVersions.find((x) => x.kind === 'lesion')!;
    await ws.api.cases.signOff(caseId, v.id, TEST_PASSWORD);
    const runDir = join(dir, 'data', 'retrain', '20261129T000000Z');
    exportTrainingSet(ws.store, {
      caseIds: [caseId],
      format: 'lung-burden-v1',
      outDir: join(runDir, 'export'),
      deidentifier: deidentifierFor(ws.store),
    });
    const base = await ws.activeModel();
    const progress: number[] = [];
    const r = await runRetrainCommand({
      from: join(runDir, 'export'),
      dataDir: join(dir, 'data'),
      workDir: runDir,
      base: base!.dir,
      steps: 2,
      minDelta: 1,
      python: PY,
      extraArgs: ['--eval-sets', 'medseg', '--max-slices-per-case', '8'],
      log: () => undefined,
      onProgress: (s) => progress.push(s),
    });
    assert.equal(r.status, 'registered'); // minDelta 1: any finite result passes
    assert.equal(progress[0], 1, "the trainer's progress lines reach onProgress");
    const view = readRetrainRun(runDir, '20261129T000000Z')!;
    assert.equal(view.state, 'registered');
    assert.equal(view.exportedCases, 1);
    const lesion = view.metrics.find((m) => m.key === 'medseg_val_dice_lesion')!;
    assert.ok(lesion.old !== null && lesion.new !== null && lesion.old > 0.3, JSON.stringify(lesion));
    assert.equal(r.bundle?.source, 'user');
    assert.equal(r.bundle.metadata.name, base!.metadata.name);
    // the base's graph survives retraining (fast 1.24.0 runs its network at two input sizes, DECISION-1.24.0.md)
    assert.equal(r.bundle.metadata.architecture, base!.metadata.architecture);
    assert.equal(sha(SPLIT), splitBefore, 'the fixed validation split changed');
  } finally {
    await ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
