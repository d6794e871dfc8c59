import { toCsv, type CsvCell } from './csv-table.ts';
import type { ReportData } from './report-data.ts';
import { TRIAL_COHORT_COLUMNS, trialCohortCells } from '../trial/trial-cohort-cells.ts';

const REGION_KEYS = [
  'right',
  'right_upper',
  'right_middle',
  'right_lower',
  'left',
  'left_upper',
  'left_middle',
  'left_lower',
  'upper',
  'middle',
  'lower',
] as const;

/**
 * Columns of the cohort CSV, one row per case, units in the names (`_ml` millilitres, `_percent`
 * percent of the lung volume of the same region, `_mm` millimetres). `source` is the input path
 * relative to the batch root (empty for single reports); `status` is `ok` or `failed`, with the
 * reason in `error`. Region columns are empty when the burden record has no such region.
 */
export const COHORT_COLUMNS: readonly string[] = [
  'source',
  'status',
  'error',
  'case_id',
  'patient_id',
  'pseudonymized',
  'study_date',
  'study_description',
  'series_description',
  'series_number',
  'slice_count',
  'slice_thickness_mm',
  'pixel_spacing_mm',
  'lung_volume_ml',
  'ggo_volume_ml',
  'high_opacity_volume_ml',
  'lesion_volume_ml',
  'ggo_percent',
  'high_opacity_percent',
  'burden_percent',
  'dense_lesion_fraction_percent',
  ...REGION_KEYS.flatMap((k) => [`${k}_lung_volume_ml`, `${k}_lesion_volume_ml`, `${k}_burden_percent`]),
  'severity_score',
  'severity_category',
  'model_name',
  'model_version',
  'lesion_version',
  'lesion_author_kind',
  'lesion_author',
  'signed_by',
  'signed_at',
  'burden_computed_at',
  'qc_flags',
  'qc_blocking_unacknowledged',
  'result_state',
  'signed_role',
  'signature_meaning',
  'lesion_sha256',
  'lung_version',
  'lung_sha256',
  ...TRIAL_COHORT_COLUMNS,
];

/** A cohort row; keys are {@link COHORT_COLUMNS}. */
export type CohortRow = Readonly<Record<string, CsvCell>>;

/** The cohort row of a reported case. */
export function cohortRow(r: ReportData, source = ''): CohortRow {
  const b = r.burden;
  const row: Record<string, CsvCell> = {
    source,
    status: 'ok',
    error: '',
    case_id: r.series.caseId,
    patient_id: r.patient.id,
    pseudonymized: r.patient.pseudonymized ? 1 : 0,
    study_date: r.study.date,
    study_description: r.study.description,
    series_description: r.series.description,
    series_number: r.series.number,
    slice_count: r.series.sizeVoxels[2],
    slice_thickness_mm: r.series.sliceThicknessMm,
    pixel_spacing_mm: r.series.spacingMm[0],
    lung_volume_ml: round(b.lungVolumeMl, 3),
    ggo_volume_ml: round(b.ggoVolumeMl, 3),
    high_opacity_volume_ml: round(b.highOpacityVolumeMl, 3),
    lesion_volume_ml: round(b.lesionVolumeMl, 3),
    ggo_percent: round(b.ggoBurdenPercent, 4),
    high_opacity_percent: round(b.highOpacityBurdenPercent, 4),
    burden_percent: round(b.burdenPercent, 4),
    dense_lesion_fraction_percent: b.highOpacityHuFractionPercent === null ? null : round(b.highOpacityHuFractionPercent, 4),
    severity_score: r.severity.score,
    severity_category: r.severity.label,
    model_name: r.provenance.model?.name ?? '',
    model_version: r.provenance.model?.version ?? '',
    lesion_version: r.provenance.lesion?.version ?? null,
    lesion_author_kind: r.provenance.lesion?.authorKind ?? '',
    lesion_author: r.provenance.lesion?.author ?? '',
    signed_by: r.provenance.signOff?.reader ?? '',
    signed_at: r.provenance.signOff?.signedAt ?? '',
    burden_computed_at: r.provenance.burdenComputedAt,
    // `severity:code` of every scan QC flag, most serious first, `;`-separated; acknowledged ones marked.
    qc_flags: r.qc.map((f) => `${f.severity}:${f.code}${f.acknowledgement ? ' (acknowledged)' : ''}`).join('; '),
    qc_blocking_unacknowledged: r.qc.filter((f) => f.severity === 'blocking' && !f.acknowledgement).length,
    result_state: r.provenance.state,
    signed_role: r.provenance.signOff?.role ?? '',
    signature_meaning: r.provenance.signOff?.meaning ?? '',
    lesion_sha256: r.provenance.signOff?.lesionSha256 ?? '',
    lung_version: r.provenance.lungMask?.version ?? null,
    lung_sha256: r.provenance.signOff?.lungSha256 ?? '',
    ...trialCohortCells(r.series.caseId, r.trial),
  };
  for (const g of b.regions) {
    row[`${g.key}_lung_volume_ml`] = round(g.lungVolumeMl, 3);
    row[`${g.key}_lesion_volume_ml`] = round(g.ggoVolumeMl + g.highOpacityVolumeMl, 3);
    row[`${g.key}_burden_percent`] = round(g.burdenPercent, 4);
  }
  return row;
}

/** The row of a case that could not be processed: only `source`, `status` and `error`. */
export function failedCohortRow(source: string, error: string): CohortRow {
  return { source, status: 'failed', error };
}

/** The cohort CSV text (header + one line per row, `\n` line ends). */
export function burdenCsv(rows: readonly CohortRow[]): string {
  return toCsv(COHORT_COLUMNS, rows);
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
