import { createHash } from 'node:crypto';
import type { AuditActor, AuditTrail } from '../audit/audit-trail.ts';
import type { SeriesToStore } from './series-to-store.ts';
import type { Db } from './database.ts';
import { geometryOf } from './voxel-cache.ts';
import { recordDicomTrialInfo } from '../trial/trial-store.ts';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Inserts patient, study, series and case of a new series in one IMMEDIATE transaction, with a
 * second look for the same voxels (`existingCase`) under the write lock: another process importing
 * the same series at the same time gets "already imported" (the existing case), not a UNIQUE error.
 * Answers the new case id, or the case that already holds these voxels.
 */
export function insertSeries(
  db: Db,
  audit: AuditTrail,
  s: SeriesToStore,
  by: AuditActor,
  hash: string,
  existingCase: () => number | undefined,
): number | { duplicateOf: number } {
  const m = s.metadata;
  const t = new Date().toISOString();
  return db
    .transaction((): number | { duplicateOf: number } => {
      const raced = existingCase();
      if (raced !== undefined) return { duplicateOf: raced };
      const patientKey = sha256(`${m.patientId}\u0000${m.patientName}\u0000${m.patientId || m.patientName ? '' : hash}`);
      db.prepare(
        `INSERT INTO patients (patient_key, dicom_patient_id, patient_name, birth_date, sex) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (patient_key) DO NOTHING`,
      ).run(patientKey, m.patientId, m.patientName, m.patientBirthDate, m.patientSex);
      const patient = db.prepare('SELECT id FROM patients WHERE patient_key = ?').get(patientKey) as { id: number };
      const studyKey = sha256(`${patientKey}\u0000${m.studyInstanceUid || `${m.studyDate}|${m.studyDescription}|${m.accessionNumber}`}`);
      db.prepare(
        `INSERT INTO studies (patient_id, study_key, study_instance_uid, study_date, description, accession_number)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (study_key) DO NOTHING`,
      ).run(patient.id, studyKey, m.studyInstanceUid, m.studyDate, m.studyDescription, m.accessionNumber);
      const study = db.prepare('SELECT id FROM studies WHERE study_key = ?').get(studyKey) as { id: number };
      const series = db
        .prepare(
          `INSERT INTO series (study_id, series_instance_uid, series_number, description, modality, manufacturer, kernel,
           slice_thickness_mm, geometry_json, metadata_json, content_hash, source_path, source_kind, issues_json, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          study.id,
          m.seriesInstanceUid,
          m.seriesNumber,
          m.seriesDescription,
          m.modality,
          m.manufacturer,
          m.convolutionKernel,
          m.sliceThicknessMm,
          JSON.stringify(geometryOf(s.volume)),
          JSON.stringify(m),
          hash,
          s.sourcePath,
          s.sourceKind,
          JSON.stringify(s.issues),
          t,
        );
      const c = db
        .prepare(`INSERT INTO cases (series_id, status, created_at, updated_at) VALUES (?, 'new', ?, ?)`)
        .run(series.lastInsertRowid, t, t);
      const id = Number(c.lastInsertRowid);
      audit.append({
        actor: by,
        action: 'case.import',
        caseId: id,
        entity: `case:${id}`,
        sha256: hash,
        details: { sourceKind: s.sourceKind, seriesInstanceUid: m.seriesInstanceUid, size: [...s.volume.size], issues: s.issues.length },
      });
      recordDicomTrialInfo(db, audit, id, m, by);
      return id;
    })
    .immediate();
}
