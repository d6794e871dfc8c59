import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { MetricComparison, RetrainRunView } from '../../../shared/contracts/workstation.ts';
import { RetrainComparisonSchema, type RetrainComparison } from '../../../shared/contracts/retraining/retrain-comparison.ts';

/**
 * The record of retraining runs under `<dataDir>/retrain/<id>/`:
 * - `run.json`, written by the workstation's retrain job: state, options, error, times;
 * - `bundle/comparison.json`, written by `python -m lungburden.retrain`: old and new model on the
 *   fixed validation split, the gate and its verdict.
 * A run folder without either is ignored. Unreadable files make the run `failed` with the reason,
 * never an exception: one damaged folder must not hide the others.
 */

export const RUN_ID_PATTERN = /^\d{8}T\d{6}Z(-\d+)?$/;

const RunRecordSchema = z.object({
  state: z.enum(['running', 'registered', 'refused', 'failed', 'cancelled']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  steps: z.number(),
  minDelta: z.number(),
  error: z.string().nullable(),
  exportedCases: z.number(),
  pid: z.number().nullable(),
});
export type RetrainRunRecord = z.infer<typeof RunRecordSchema>;

function runRecordPath(runDir: string): string {
  return join(runDir, 'run.json');
}

/** Writes `run.json` atomically (temp file + rename). */
export function writeRunRecord(runDir: string, rec: RetrainRunRecord): void {
  const tmp = `${runRecordPath(runDir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(rec, null, 2)}\n`);
  renameSync(tmp, runRecordPath(runDir));
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** `createdAt`-style ISO time of a run id `20261129T231500Z`. */
function idToIso(id: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(id);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : id;
}

/** `isAlive(pid)`: a `running` record whose process is gone was interrupted (app closed or crashed). */
export function readRetrainRun(runDir: string, id: string, isAlive: (pid: number) => boolean = processAlive): RetrainRunView | null {
  const recPath = runRecordPath(runDir);
  const cmpPath = join(runDir, 'bundle', 'comparison.json');
  const hasRec = existsSync(recPath);
  const hasCmp = existsSync(cmpPath);
  if (!hasRec && !hasCmp) return null;
  const empty: RetrainRunView = {
    id,
    startedAt: idToIso(id),
    state: 'failed',
    error: null,
    base: null,
    newVersion: null,
    gate: null,
    exportedCases: 0,
    trainingWindows: 0,
    steps: 0,
    trainingS: null,
    validationSplitSha256: null,
    metrics: [],
  };
  let view: RetrainRunView = empty;
  if (hasRec) {
    const r = RunRecordSchema.safeParse(safeRead(recPath));
    if (!r.success) return { ...empty, error: `run.json unreadable: ${r.error.issues[0]?.message ?? 'invalid'}` };
    const rec = r.data;
    const interrupted = rec.state === 'running' && rec.pid !== null && !isAlive(rec.pid);
    view = {
      ...view,
      startedAt: rec.startedAt,
      state: interrupted ? 'failed' : rec.state,
      error: interrupted ? 'interrupted: the app closed while retraining ran' : rec.error,
      steps: rec.steps,
      exportedCases: rec.exportedCases,
    };
  }
  if (hasCmp) {
    const c = RetrainComparisonSchema.safeParse(safeRead(cmpPath));
    if (!c.success)
      return {
        ...view,
        state: view.state === 'running' ? 'running' : 'failed',
        error: view.error ?? `comparison.json unreadable: ${c.error.issues[0]?.message ?? 'invalid'}`,
      };
    view = {
      ...view,
      ...fromComparison(c.data),
      state: hasRec ? view.state : c.data.accepted ? 'registered' : 'refused',
      error: view.error,
    };
  }
  return view;
}

function fromComparison(c: RetrainComparison): Partial<RetrainRunView> {
  const keys = [...new Set([...Object.keys(c.old.summary), ...Object.keys(c.new.summary)])];
  const metrics: MetricComparison[] = keys.map((key) => ({ key, old: c.old.summary[key] ?? null, new: c.new.summary[key] ?? null }));
  return {
    base: { name: c.old.name, version: c.old.version },
    newVersion: c.accepted ? c.new.version : null,
    gate: { metric: c.gate.metric, old: c.gate.old, new: c.gate.new, minDelta: c.gate.minDelta },
    exportedCases: c.export.cases.length,
    trainingWindows: c.export.windows,
    steps: c.new.steps,
    trainingS: c.new.trainingS,
    validationSplitSha256: c.validationSplit.sha256,
    metrics,
  };
}

function safeRead(path: string): unknown {
  try {
    return readJson(path);
  } catch (e) {
    return { unreadable: e instanceof Error ? e.message : String(e) };
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every run under `<dataDir>/retrain/`, newest first. */
export function listRetrainRuns(retrainRoot: string, isAlive?: (pid: number) => boolean): RetrainRunView[] {
  let ids: string[];
  try {
    ids = readdirSync(retrainRoot, { withFileTypes: true })
      .filter((e) => e.isDirectory() && RUN_ID_PATTERN.test(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
  return ids
    .sort()
    .reverse()
    .map((id) => readRetrainRun(join(retrainRoot, id), id, isAlive))
    .filter((v): v is RetrainRunView => v !== null);
}
