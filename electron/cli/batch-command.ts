import { join } from 'node:path';
import { createWorkstation } from '../app/workstation.ts';
import { runBatch, type BatchSummary } from '../services/batch/run-batch.ts';
import { runRocCommand } from './roc-command.ts';

export interface BatchCommandOptions {
  /** Tree of studies (leaf DICOM folders and NIfTI files). */
  readonly root: string;
  /** Output folder (reports/, cohort.csv, batch-state.json, roc/). */
  readonly outDir: string;
  /** Wanted parallelism (bounded by free memory). */
  readonly jobs: number;
  readonly dataDir: string;
  readonly log: (msg: string) => void;
  /** Known labels: when given, a ROC summary of burden vs `labelColumn` is written to `<outDir>/roc`. */
  readonly labelsCsv?: string;
  /** Label column of `labelsCsv` (default `label`). */
  readonly labelColumn?: string;
  readonly noModel?: boolean;
  readonly pseudonymize?: boolean;
  readonly retryFailed?: boolean;
  readonly signal?: AbortSignal;
}

const fmtDuration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 3600
    ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
    : s >= 60
      ? `${Math.floor(s / 60)} min ${s % 60} s`
      : `${s} s`;
};

/**
 * `lung-burden batch <root> --out <dir> [--jobs N] [--labels labels.csv --label-column C]`:
 * runs the batch (resuming from `<dir>/batch-state.json`), logs progress with ETA, and with
 * labels writes the ROC summary. Returns the summary (interrupted or with failures: the CLI
 * exits non-zero).
 */
export async function runBatchCommand(o: BatchCommandOptions): Promise<BatchSummary> {
  let model = null;
  if (!o.noModel) {
    const ws = await createWorkstation({ dataDir: o.dataDir, seedSample: false });
    try {
      model = await ws.activeModel();
    } finally {
      await ws.close();
    }
    if (!model) o.log('note: no lesion model bundle found: lung mask and burden only (lesion volumes 0)');
  }
  const summary = await runBatch({
    root: o.root,
    outDir: o.outDir,
    jobs: o.jobs,
    dataDir: o.dataDir,
    model,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.pseudonymize ? { pseudonymize: true } : {}),
    ...(o.retryFailed ? { retryFailed: true } : {}),
    onProgress: (p) => {
      if (p.event === 'case-start') return;
      const eta = p.etaMs === null ? '' : `, ETA ${fmtDuration(p.etaMs)}`;
      o.log(`[${p.done + p.failed}/${p.total}${eta}] ${p.message}`);
    },
  });
  for (const k of summary.ignored) o.log(`warning: ${k}: file beside sub-folders, not imported`);
  o.log(
    `${summary.done} done, ${summary.failed} failed, ${summary.pending} pending (${summary.resumed} from an earlier run) in ${fmtDuration(summary.elapsedMs)}; cohort: ${summary.cohortCsv}`,
  );
  for (const f of summary.failures) o.log(`failed: ${f.key}: ${f.error}`);
  if (o.labelsCsv && !summary.interrupted) {
    try {
      await runRocCommand({
        cohortCsv: summary.cohortCsv,
        labelsCsv: o.labelsCsv,
        column: o.labelColumn ?? 'label',
        out: join(o.outDir, 'roc'),
        log: o.log,
      });
    } catch (e) {
      // The batch itself succeeded; a ROC that cannot be computed (one class only, bad labels) is reported, not fatal.
      o.log(`roc: not computed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return summary;
}
