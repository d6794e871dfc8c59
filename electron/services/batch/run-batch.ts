import { mkdirSync } from 'node:fs';
import { freemem } from 'node:os';
import { join, resolve } from 'node:path';
import { burdenCsv, failedCohortRow, type CohortRow } from '../../../shared/export/burden-csv.ts';
import { CaseStore } from '../cases/case-store.ts';
import { analyzeCase } from '../analysis/analyze-case.ts';
import { importAnyPath } from '../analysis/import-any-path.ts';
import type { ModelBundle } from '../inference/model-registry.ts';
import { writeCaseReport, writeFileAtomic } from '../reports/report-service.ts';
import { readJournal, writeJournal, type JournalEntry } from './batch-journal.ts';
import { findBatchCases, type BatchInput } from './find-batch-cases.ts';
import { acquireBatchLock } from './batch-lock.ts';
import { probeDecodedVoxels } from './probe-decoded-size.ts';
import { assignReportNames, reportSlug } from './assign-report-names.ts';
import { boundedJobs, estimateCaseBytes } from './estimate-case-bytes.ts';

export interface BatchProgress {
  readonly event: 'start' | 'case-start' | 'case-done' | 'case-failed' | 'end';
  /** Input key (path relative to the root) of the case the event is about. */
  readonly key: string | null;
  readonly total: number;
  /** Finished OK, including cases finished by earlier runs. */
  readonly done: number;
  readonly failed: number;
  /** Cases taken from the journal of an earlier run (not redone). */
  readonly resumed: number;
  readonly running: number;
  readonly elapsedMs: number;
  /** Estimated time to finish (mean case time of this run × cases left / jobs); null before the first case ends. */
  readonly etaMs: number | null;
  readonly jobs: number;
  readonly message: string;
}

export interface BatchOptions {
  /** Tree of studies: each leaf DICOM folder or .nii/.nii.gz file is a case. */
  readonly root: string;
  /** Output folder: reports/, cohort.csv, batch-state.json. */
  readonly outDir: string;
  /** Wanted parallelism (cases at a time); lowered to what free memory allows. */
  readonly jobs: number;
  /** Case store folder. */
  readonly dataDir: string;
  /** Lesion model; null runs lung mask + burden only. */
  readonly model: ModelBundle | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: BatchProgress) => void;
  /** Show patients by pseudonym in reports and CSV. */
  readonly pseudonymize?: boolean;
  /** Retry cases that failed in an earlier run (default false: only changed inputs are retried). */
  readonly retryFailed?: boolean;
  /** Free memory in bytes used to bound the parallelism (default os.freemem()). */
  readonly freeMemoryBytes?: number;
}

export interface BatchSummary {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly resumed: number;
  /** Processed by this run (done or failed). */
  readonly processed: number;
  readonly pending: number;
  readonly interrupted: boolean;
  /** Parallelism used, and the memory estimate that bounded it. */
  readonly jobs: number;
  readonly bytesPerCase: number;
  readonly cohortCsv: string;
  readonly journal: string;
  readonly failures: readonly { readonly key: string; readonly error: string }[];
  /** Candidate files beside sub-folders, not imported. */
  readonly ignored: readonly string[];
  readonly elapsedMs: number;
}

/**
 * Batch processing of a tree of studies: import → analyse (lung mask, lesion model, burden) →
 * per-case report (PDF + JSON + CSV) → cohort CSV (`<outDir>/cohort.csv`, one row per input,
 * failed inputs with their error). A journal (`<outDir>/batch-state.json`, written atomically
 * after every case) makes a rerun resume: finished cases are not redone unless their input
 * changed. A failing case is recorded and the batch goes on. On abort the running cases stop,
 * nothing is recorded for them, and the summary says `interrupted`.
 */
export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const t0 = performance.now();
  const root = resolve(opts.root);
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  // One batch process per output folder: a second one is refused (never analyses the same cases).
  const releaseLock = acquireBatchLock(outDir);
  try {
    return await runLockedBatch(opts, root, outDir, t0);
  } finally {
    releaseLock();
  }
}

/**
 * What a batch run will do: the inputs under `root`, the journal of earlier runs, the report name
 * of every input, which inputs are finished (done, or failed and not retried), the rest to do, and
 * the parallelism free memory allows.
 */
function planBatch(opts: BatchOptions, root: string, outDir: string) {
  const { inputs, ignored } = findBatchCases(root);
  const journal = readJournal(outDir, root);
  const reportNames = assignReportNames(
    inputs.map((i) => i.key),
    Object.fromEntries(Object.entries(journal.entries).map(([k, e]) => [k, e.report])),
  );
  const isFinished = (inp: BatchInput): boolean => {
    const e = journal.entries[inp.key];
    if (!e || e.signature !== inp.signature) return false;
    return e.status === 'done' || !opts.retryFailed;
  };
  const todo = inputs.filter((i) => !isFinished(i));
  const bytesPerCase = Math.max(64 * 1024 ** 2, ...todo.map((i) => estimateCaseBytes({ ...i, decodedVoxels: probeDecodedVoxels(i) })));
  const jobs = boundedJobs(opts.jobs, opts.freeMemoryBytes ?? freemem(), bytesPerCase);
  return { inputs, ignored, journal, reportNames, isFinished, todo, resumed: inputs.length - todo.length, bytesPerCase, jobs };
}

/** Writes `cohort.csv`: one row per finished input, in input order. */
function writeCohortCsv(path: string, rows: readonly (CohortRow | undefined)[]): void {
  writeFileAtomic(path, burdenCsv(rows.filter((r) => r !== undefined)));
}

/** The journal entry of an input that failed with `error` after `durationMs`. */
function failedEntry(inp: BatchInput, error: string, durationMs: number): JournalEntry {
  return {
    status: 'failed',
    signature: inp.signature,
    caseId: null,
    report: null,
    error,
    finishedAt: new Date().toISOString(),
    durationMs,
    row: failedCohortRow(inp.key, error),
  };
}

async function runLockedBatch(opts: BatchOptions, root: string, outDir: string, t0: number): Promise<BatchSummary> {
  const { inputs, ignored, journal, reportNames, isFinished, todo, resumed, bytesPerCase, jobs } = planBatch(opts, root, outDir);

  let running = 0;
  let processed = 0;
  let processedMs = 0;
  const count = (s: JournalEntry['status']) => inputs.filter((i) => isFinished(i) && journal.entries[i.key]?.status === s).length;
  const emit = (event: BatchProgress['event'], key: string | null, message: string) => {
    const done = count('done');
    const failed = count('failed');
    const left = inputs.length - done - failed;
    opts.onProgress?.({
      event,
      key,
      total: inputs.length,
      done,
      failed,
      resumed,
      running,
      elapsedMs: performance.now() - t0,
      etaMs: processed > 0 ? ((processedMs / processed) * left) / jobs : null,
      jobs,
      message,
    });
  };

  const store = CaseStore.open(opts.dataDir);
  const cohortPath = join(outDir, 'cohort.csv');
  try {
    writeJournal(outDir, journal);
    emit(
      'start',
      null,
      `${inputs.length} cases, ${resumed} already finished, ${jobs} at a time (${(bytesPerCase / 1024 ** 2).toFixed(0)} MiB each estimated)`,
    );
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length && !opts.signal?.aborted) {
        const inp = todo[next++]!;
        running++;
        emit('case-start', inp.key, `processing ${inp.key}`);
        const t = performance.now();
        try {
          const entry = await processCase(
            store,
            inp,
            outDir,
            opts,
            reportNames.get(inp.key) ?? join('reports', `${reportSlug(inp.key)}.pdf`),
          );
          journal.entries[inp.key] = { ...entry, durationMs: performance.now() - t };
        } catch (e) {
          if (opts.signal?.aborted) {
            running--;
            break;
          }
          const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          journal.entries[inp.key] = failedEntry(inp, error, performance.now() - t);
        }
        running--;
        processed++;
        processedMs += performance.now() - t;
        writeJournal(outDir, journal);
        const ent = journal.entries[inp.key]!;
        emit(
          ent.status === 'done' ? 'case-done' : 'case-failed',
          inp.key,
          ent.status === 'done' ? `finished ${inp.key}` : `failed ${inp.key}: ${ent.error}`,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, todo.length)) }, worker));
    writeCohortCsv(
      cohortPath,
      inputs.filter(isFinished).map((i) => journal.entries[i.key]?.row),
    );
    const interrupted = opts.signal?.aborted === true && inputs.some((i) => !isFinished(i));
    emit('end', null, interrupted ? 'interrupted: rerun the same command to resume' : 'batch finished');
    const failures = inputs
      .filter((i) => isFinished(i) && journal.entries[i.key]?.status === 'failed')
      .map((i) => ({ key: i.key, error: journal.entries[i.key]!.error ?? '' }));
    const done = count('done');
    return {
      total: inputs.length,
      done,
      failed: failures.length,
      resumed,
      processed,
      pending: inputs.length - done - failures.length,
      interrupted,
      jobs,
      bytesPerCase,
      cohortCsv: cohortPath,
      journal: join(outDir, 'batch-state.json'),
      failures,
      ignored,
      elapsedMs: performance.now() - t0,
    };
  } finally {
    store.close();
  }
}

async function processCase(
  store: CaseStore,
  inp: BatchInput,
  outDir: string,
  opts: BatchOptions,
  report: string,
): Promise<Omit<JournalEntry, 'durationMs'>> {
  const signal = opts.signal;
  const { series } = await importAnyPath(inp.path, signal ? { signal } : {});
  signal?.throwIfAborted();
  const best = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0]!;
  const { caseId, duplicate } = store.addSeries(best);
  // The same voxels under another path: reuse the stored analysis instead of running it again.
  if (!duplicate || !store.latestBurden(caseId)) {
    await analyzeCase(store, caseId, { model: opts.model, ...(signal ? { signal } : {}) });
  }
  signal?.throwIfAborted();
  const files = await writeCaseReport(store, caseId, join(outDir, report), {
    source: inp.key,
    ...(opts.pseudonymize ? { pseudonymize: true } : {}),
  });
  return {
    status: 'done',
    signature: inp.signature,
    caseId,
    report,
    error: null,
    finishedAt: new Date().toISOString(),
    row: {
      ...files.row,
      ...(series.length > 1 ? { error: `note: ${series.length} series in the folder; the one with the most slices was used` } : {}),
    },
  };
}
