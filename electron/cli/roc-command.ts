import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, toCsv } from '../../shared/export/csv-table.ts';
import { joinCohortLabels } from '../../shared/export/join-cohort-labels.ts';
import { rocSummary, type RocSummary } from '../../shared/export/roc.ts';
import { rocPlotPng } from '../services/reports/roc-plot.ts';
import { writeFileAtomic } from '../services/reports/report-service.ts';

export interface RocCommandOptions {
  /** Cohort CSV written by `batch` (or `report`). */
  readonly cohortCsv: string;
  /** CSV of known labels, sharing a key column (source, patient_id, case_id or accession_number). */
  readonly labelsCsv: string;
  /** Label column of `labelsCsv` (1/0, true/false, positive/negative). */
  readonly column: string;
  /** Output folder: roc.json, roc.png, roc-points.csv. */
  readonly out: string;
  /** Threshold (score units, e.g. burden %) at which to report sensitivity/specificity. */
  readonly threshold?: number;
  /** Score column of the cohort CSV (default burden_percent). */
  readonly scoreColumn?: string;
  /** Target sensitivity for the reported threshold (default 0.95, as Killekar et al. Table 8). */
  readonly targetSensitivity?: number;
  readonly log?: (msg: string) => void;
}

/**
 * `lung-burden roc`: AUROC, the threshold giving ≥ 95 % sensitivity with its specificity, and
 * the operating point at `--threshold`, of a cohort's burden against known labels. Writes
 * `roc.json` (summary + points), `roc-points.csv` and `roc.png` in `out`. Returns the summary.
 */
export async function runRocCommand(o: RocCommandOptions): Promise<RocSummary & { keyColumn: string; unmatched: readonly string[] }> {
  const cohort = parseCsv(readFileSync(o.cohortCsv, 'utf8'));
  const labels = parseCsv(readFileSync(o.labelsCsv, 'utf8'));
  const joined = joinCohortLabels(cohort, labels, { labelColumn: o.column, ...(o.scoreColumn ? { scoreColumn: o.scoreColumn } : {}) });
  const summary = rocSummary(joined.scores, joined.labels, {
    ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
    ...(o.targetSensitivity !== undefined ? { targetSensitivity: o.targetSensitivity } : {}),
  });
  const result = { ...summary, keyColumn: joined.keyColumn, unmatched: joined.unmatched, scoreColumn: o.scoreColumn ?? 'burden_percent' };
  writeFileAtomic(
    join(o.out, 'roc.json'),
    `${JSON.stringify({ ...result, points: summary.points.map((p) => ({ ...p, threshold: Number.isFinite(p.threshold) ? p.threshold : null })) }, null, 2)}\n`,
  );
  writeFileAtomic(
    join(o.out, 'roc-points.csv'),
    toCsv(
      ['threshold', 'fpr', 'tpr'],
      summary.points.map((p) => ({ threshold: Number.isFinite(p.threshold) ? p.threshold : 'inf', fpr: p.fpr, tpr: p.tpr })),
    ),
  );
  writeFileAtomic(
    join(o.out, 'roc.png'),
    rocPlotPng(summary.points, { auroc: summary.auroc, atTarget: summary.atTargetSensitivity, atThreshold: summary.atThreshold }),
  );
  const log = o.log ?? (() => {});
  const t = summary.atTargetSensitivity;
  log(
    `${summary.positives} positive, ${summary.negatives} negative cases (joined on ${joined.keyColumn}; ${joined.unmatched.length} without label or score)`,
  );
  log(`AUROC ${summary.auroc.toFixed(4)}`);
  log(
    `sensitivity >= ${(t.targetSensitivity * 100).toFixed(0)} %: threshold ${t.threshold}, sensitivity ${(t.sensitivity * 100).toFixed(1)} %, specificity ${(t.specificity * 100).toFixed(1)} %`,
  );
  if (summary.atThreshold) {
    const a = summary.atThreshold;
    log(
      `at threshold ${a.threshold}: sensitivity ${(a.sensitivity * 100).toFixed(1)} %, specificity ${(a.specificity * 100).toFixed(1)} % (TP ${a.tp}, FP ${a.fp}, TN ${a.tn}, FN ${a.fn})`,
    );
  }
  log(`wrote ${join(o.out, 'roc.json')}, roc-points.csv, roc.png`);
  return result;
}
