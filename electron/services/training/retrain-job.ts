import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RetrainOptions, RetrainRunView } from '../../../shared/contracts/workstation.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { AuditActor } from '../audit/audit-trail.ts';
import { deidentifierFor } from '../exports/deid-salt.ts';
import { exportTrainingSet } from '../exports/training-export.ts';
import type { ModelBundle } from '../inference/model-registry.ts';
import type { JobContext } from '../jobs/job-manager.ts';
import { readRetrainRun, writeRunRecord, type RetrainRunRecord } from './retrain-history.ts';
import { defaultPython, RetrainError, retrainStamp, runRetrainCommand } from './retrain-runner.ts';

export interface RetrainJobDeps {
  readonly store: CaseStore;
  readonly dataDir: string;
  /** The model to fine-tune (the active one); its bundle should carry `checkpoint.pt`. */
  readonly base: ModelBundle | null;
  readonly python?: string;
  readonly log: (msg: string) => void;
  /** Who started the retraining (audit trail of the export; default the system). */
  readonly by?: AuditActor;
}

/** Where the runs of a data folder live. */
export function retrainRoot(dataDir: string): string {
  return join(dataDir, 'retrain');
}

function newRunDir(root: string): { id: string; dir: string } {
  const stamp = retrainStamp();
  for (let i = 0; ; i++) {
    const id = i === 0 ? stamp : `${stamp}-${i}`;
    const dir = join(root, id);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      return { id, dir };
    }
  }
}

/**
 * The human-in-the-loop cycle as one job: (1) export the signed lesion version of every case,
 * de-identified, in the `lung-burden-v1` layout, into the run folder; (2) fine-tune the base model
 * on it with `lungburden.retrain` (which keeps the fixed validation split out of training and
 * compares old and new on it); (3) register the new bundle only if it passes the gate. The run
 * folder keeps `run.json` (state), `export/` and `bundle/comparison.json`, so the Models panel shows
 * the outcome after a restart too.
 */
export async function runRetrainJob(ctx: JobContext, deps: RetrainJobDeps, opts: RetrainOptions): Promise<RetrainRunView> {
  if (!deps.base) throw new RetrainError('no lesion model is installed to fine-tune');
  const signed = deps.store
    .listCases()
    .filter((c) => c.status === 'signed')
    .map((c) => c.id);
  if (signed.length === 0) throw new RetrainError('no signed case to learn from: review a case and sign it off first');
  const python = deps.python ?? defaultPython();
  if (!existsSync(python))
    throw new RetrainError(
      `the training environment is not installed (no Python at ${python}): run \`bash scripts/setup-python.sh\` in the app folder, or set LUNG_BURDEN_PYTHON`,
    );
  const root = retrainRoot(deps.dataDir);
  const { id, dir } = newRunDir(root);
  let rec: RetrainRunRecord = {
    state: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    steps: opts.steps,
    minDelta: opts.minDelta,
    error: null,
    exportedCases: 0,
    pid: process.pid,
  };
  writeRunRecord(dir, rec);
  const finish = (patch: Partial<RetrainRunRecord>): void => {
    rec = { ...rec, ...patch, finishedAt: new Date().toISOString() };
    writeRunRecord(dir, rec);
  };
  try {
    ctx.progress(0, opts.steps, `exporting ${signed.length} signed case(s), de-identified`);
    const manifest = exportTrainingSet(deps.store, {
      caseIds: signed,
      format: 'lung-burden-v1',
      outDir: join(dir, 'export'),
      deidentifier: deidentifierFor(deps.store),
      onProgress: (done, total) => ctx.progress(0, opts.steps, `exporting signed cases ${done}/${total}`),
      ...(deps.by ? { by: deps.by } : {}),
    });
    rec = { ...rec, exportedCases: manifest.cases.length };
    writeRunRecord(dir, rec);
    if (ctx.signal.aborted) throw new RetrainError('retraining cancelled');
    ctx.progress(0, opts.steps, `fine-tuning ${deps.base.metadata.name} ${deps.base.metadata.version} on ${manifest.cases.length} case(s)`);
    let phase = 'fine-tuning';
    const r = await runRetrainCommand({
      from: join(dir, 'export'),
      dataDir: deps.dataDir,
      workDir: dir,
      base: deps.base.dir,
      steps: opts.steps,
      minDelta: opts.minDelta,
      signal: ctx.signal,
      python,
      log: deps.log,
      onPhase: (p) => {
        if (p.phase !== 'evaluating') return;
        phase = p.message;
        ctx.progress(opts.steps, opts.steps, phase);
      },
      onProgress: (step, steps) => ctx.progress(Math.min(step, steps), steps, `${phase}: step ${step} of ${steps}`),
    });
    finish({ state: r.status });
    ctx.progress(
      opts.steps,
      opts.steps,
      r.status === 'registered' ? `registered ${r.bundle?.metadata.version ?? ''}` : 'refused: the new model was worse',
    );
  } catch (e) {
    const cancelled = ctx.signal.aborted;
    const msg = e instanceof Error ? e.message : String(e);
    finish({ state: cancelled ? 'cancelled' : 'failed', error: cancelled ? 'cancelled by the reader' : msg });
    throw e;
  }
  const view = readRetrainRun(dir, id);
  if (!view) throw new RetrainError(`run ${id} left no record`);
  return view;
}
