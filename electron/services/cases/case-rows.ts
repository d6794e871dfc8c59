import type { CaseStatus, CaseSummary } from '../../../shared/domain/case.ts';
import { asCaseId, asSeriesId } from '../../../shared/domain/ids.ts';
import type { CaseResult } from '../../../shared/domain/reader.ts';
import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import type { BurdenRecord } from './burden-records.ts';
import type { Db } from './database.ts';

/** A case joined with its series, study and patient. */
export interface CaseRow {
  id: number;
  series_id: number;
  status: CaseStatus;
  updated_at: string;
  patient_id: string;
  patient_name: string;
  study_date: string;
  study_description: string;
  series_description: string;
  series_number: string;
  modality: string;
  geometry_json: string;
  source_path: string;
  source_kind: 'dicom' | 'nifti';
  issues_json: string;
  content_hash: string;
}

export const CASE_SELECT = `
  SELECT c.id, c.series_id, c.status, c.updated_at,
         p.dicom_patient_id AS patient_id, p.patient_name, st.study_date, st.description AS study_description,
         s.description AS series_description, s.series_number, s.modality, s.geometry_json,
         s.source_path, s.source_kind, s.issues_json, s.content_hash
  FROM cases c JOIN series s ON s.id = c.series_id JOIN studies st ON st.id = s.study_id
  JOIN patients p ON p.id = st.patient_id`;

/** The worklist row of a case: identity, status, the reported burden, the last model and reader, the result. */
export function caseSummary(db: Db, r: CaseRow, result: CaseResult | null, burden: BurdenRecord | null): CaseSummary {
  const g = JSON.parse(r.geometry_json) as VolumeGeometry;
  const lastModel = db
    .prepare(
      `SELECT model_version, model_name, mean_entropy FROM label_versions WHERE case_id = ? AND kind = 'lesion' AND author_kind = 'model' ORDER BY id DESC LIMIT 1`,
    )
    .get(r.id) as { model_version: string | null; model_name: string | null; mean_entropy: number | null } | undefined;
  const lastReader = db
    .prepare(`SELECT author FROM label_versions WHERE case_id = ? AND author_kind = 'reader' ORDER BY id DESC LIMIT 1`)
    .get(r.id) as { author: string } | undefined;

  return {
    id: asCaseId(r.id),
    seriesId: asSeriesId(r.series_id),
    status: r.status,
    patientId: r.patient_id,
    patientName: r.patient_name,
    studyDate: r.study_date,
    studyDescription: r.study_description,
    seriesDescription: r.series_description,
    seriesNumber: r.series_number,
    modality: r.modality,
    sliceCount: g.size[2],
    burdenPercent: burden?.burden.burdenPercent ?? null,
    modelVersion: lastModel ? `${lastModel.model_name ?? ''} ${lastModel.model_version ?? ''}`.trim() : null,
    lastReader: lastReader?.author ?? null,
    updatedAt: r.updated_at,
    uncertainty: lastModel?.mean_entropy ?? null,
    result,
  };
}
