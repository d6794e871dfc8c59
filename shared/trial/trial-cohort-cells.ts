import type { CsvCell } from '../export/csv-table.ts';
import type { ReportTrialContext } from '../export/report-input.ts';

/**
 * Trial and change-from-baseline columns of the cohort CSV (appended after the existing ones).
 * `change_*` compare the case's result with its subject's baseline (visit order 0): lesion and
 * lung volume in mL, burden in percentage points (`_pp`) and relative to the baseline burden
 * (`_relative_percent`, empty when the baseline burden is 0). `change_provisional` is 1 when this
 * case or the baseline is not a signed/adjudicated result; `change_notes` says why figures are
 * missing or provisional.
 */
export const TRIAL_COHORT_COLUMNS: readonly string[] = [
  'protocol_id',
  'sponsor_name',
  'site_id',
  'subject_id',
  'visit_label',
  'visit_order',
  'visit_date',
  'timepoint_result_state',
  'baseline_case_id',
  'change_lesion_volume_ml',
  'change_lung_volume_ml',
  'change_burden_pp',
  'change_burden_relative_percent',
  'change_provisional',
  'change_notes',
];

const round = (x: number | null, digits: number): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** The trial cells of one case's cohort row (all empty for a case outside a trial). */
export function trialCohortCells(caseId: number, trial: ReportTrialContext | undefined): Record<string, CsvCell> {
  if (!trial) return {};
  const t = trial.longitudinal;
  const p = t?.timepoints.find((x) => x.caseId === caseId);
  const notes = [...(t?.baselineProblem ? [t.baselineProblem] : []), ...(p?.notes ?? [])];
  return {
    protocol_id: trial.protocol,
    sponsor_name: trial.sponsor ?? '',
    site_id: trial.site,
    subject_id: trial.subject,
    visit_label: trial.visit,
    visit_order: trial.visitOrder ?? null,
    visit_date: trial.visitDate ?? '',
    timepoint_result_state: p?.resultState ?? '',
    baseline_case_id: t?.baselineCaseId ?? null,
    change_lesion_volume_ml: round(p?.changeLesionMl ?? null, 3),
    change_lung_volume_ml: round(p?.changeLungMl ?? null, 3),
    change_burden_pp: round(p?.changeBurdenPp ?? null, 4),
    change_burden_relative_percent: round(p?.relativeChangePercent ?? null, 3),
    change_provisional: p ? (p.provisional ? 1 : 0) : null,
    change_notes: notes.join('; '),
  };
}
