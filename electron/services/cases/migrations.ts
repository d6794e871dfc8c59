import { CASE_TRIAL_INFO_MIGRATION } from '../trial/trial-migration.ts';
import { READ_STUDIES_MIGRATION } from '../read-studies/read-study-migration.ts';
import { LABEL_PATCHES_MIGRATION } from './label-patches-migration.ts';

/**
 * Schema migrations of the case store, applied in order inside one transaction each.
 * Never edit a migration that has shipped: append a new one (each has its own test).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema: patients, studies, series, cases, label versions, burden, settings',
    sql: `
      CREATE TABLE patients (
        id INTEGER PRIMARY KEY,
        patient_key TEXT NOT NULL UNIQUE,
        dicom_patient_id TEXT NOT NULL,
        patient_name TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL
      );
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        patient_id INTEGER NOT NULL REFERENCES patients(id),
        study_key TEXT NOT NULL UNIQUE,
        study_instance_uid TEXT NOT NULL,
        study_date TEXT NOT NULL,
        description TEXT NOT NULL,
        accession_number TEXT NOT NULL
      );
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id),
        series_instance_uid TEXT NOT NULL,
        series_number TEXT NOT NULL,
        description TEXT NOT NULL,
        modality TEXT NOT NULL,
        manufacturer TEXT NOT NULL,
        kernel TEXT NOT NULL,
        slice_thickness_mm REAL,
        geometry_json TEXT NOT NULL,
        metadata_json TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        source_path TEXT NOT NULL,
        source_kind TEXT NOT NULL CHECK (source_kind IN ('dicom', 'nifti')),
        issues_json TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        series_id INTEGER NOT NULL UNIQUE REFERENCES series(id),
        status TEXT NOT NULL CHECK (status IN ('new', 'ai-done', 'in-review', 'signed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE label_versions (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('lesion', 'lung')),
        version INTEGER NOT NULL,
        parent_id INTEGER REFERENCES label_versions(id),
        author TEXT NOT NULL,
        author_kind TEXT NOT NULL CHECK (author_kind IN ('model', 'reader', 'algorithm')),
        model_name TEXT,
        model_version TEXT,
        created_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        signed INTEGER NOT NULL DEFAULT 0 CHECK (signed IN (0, 1)),
        encoding TEXT NOT NULL CHECK (encoding IN ('deflate-u8')),
        byte_length INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        counts_json TEXT NOT NULL,
        mean_entropy REAL,
        data BLOB NOT NULL,
        UNIQUE (case_id, kind, version)
      );
      CREATE TABLE burden_records (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        lesion_version_id INTEGER REFERENCES label_versions(id),
        lung_version_id INTEGER NOT NULL REFERENCES label_versions(id),
        created_at TEXT NOT NULL,
        burden_json TEXT NOT NULL
      );
      CREATE TABLE signoffs (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        label_version_id INTEGER NOT NULL UNIQUE REFERENCES label_versions(id),
        reader TEXT NOT NULL,
        signed_at TEXT NOT NULL
      );
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE INDEX label_versions_case ON label_versions(case_id, kind, version);
      CREATE INDEX burden_records_case ON burden_records(case_id, id);
      -- Label versions are append-only: nothing is overwritten.
      CREATE TRIGGER label_versions_no_update BEFORE UPDATE OF data, sha256, version, author, created_at, kind, case_id ON label_versions
        BEGIN SELECT RAISE(ABORT, 'label versions are immutable'); END;
      CREATE TRIGGER label_versions_signed_frozen BEFORE UPDATE OF signed ON label_versions WHEN OLD.signed = 1
        BEGIN SELECT RAISE(ABORT, 'a signed label version stays signed'); END;
      CREATE TRIGGER label_versions_no_delete BEFORE DELETE ON label_versions
        BEGIN SELECT RAISE(ABORT, 'label versions are never deleted'); END;
    `,
  },
  {
    version: 2,
    name: 'scan QC: flags per case (replaced at each import/analysis), append-only acknowledgements',
    sql: `
      CREATE TABLE qc_flags (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'blocking')),
        message TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('import', 'analysis')),
        computed_at TEXT NOT NULL
      );
      CREATE INDEX qc_flags_case ON qc_flags(case_id);
      -- The last QC run of a case, also when it raised no flag (a clean scan is "passed", not "not checked").
      CREATE TABLE qc_runs (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        stage TEXT NOT NULL CHECK (stage IN ('import', 'analysis')),
        computed_at TEXT NOT NULL
      );
      CREATE TABLE qc_acknowledgements (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        message TEXT NOT NULL,
        reader TEXT NOT NULL CHECK (length(trim(reader)) > 0),
        reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
        acknowledged_at TEXT NOT NULL
      );
      CREATE INDEX qc_acknowledgements_case ON qc_acknowledgements(case_id, code);
      -- An acknowledgement is a record of a reader's decision: never changed, never deleted.
      CREATE TRIGGER qc_acknowledgements_no_update BEFORE UPDATE ON qc_acknowledgements
        BEGIN SELECT RAISE(ABORT, 'QC acknowledgements are immutable'); END;
      CREATE TRIGGER qc_acknowledgements_no_delete BEFORE DELETE ON qc_acknowledgements
        BEGIN SELECT RAISE(ABORT, 'QC acknowledgements are never deleted'); END;
    `,
  },
  {
    version: 3,
    name: 'readers, electronic signatures bound to label versions, hash-chained audit trail',
    sql: `
      CREATE TABLE readers (
        id INTEGER PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('reader', 'adjudicator', 'admin')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
      );
      -- Who saved a reader-authored label version (null: model, algorithm, or saved before accounts).
      ALTER TABLE label_versions ADD COLUMN reader_id INTEGER REFERENCES readers(id);
      CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL CHECK (kind IN ('read', 'adjudication')),
        lesion_version_id INTEGER NOT NULL UNIQUE REFERENCES label_versions(id),
        lesion_sha256 TEXT NOT NULL,
        lung_version_id INTEGER NOT NULL REFERENCES label_versions(id),
        lung_sha256 TEXT NOT NULL,
        reader_id INTEGER NOT NULL REFERENCES readers(id),
        reader_login TEXT NOT NULL,
        reader_name TEXT NOT NULL,
        reader_role TEXT NOT NULL,
        meaning TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        signed_at TEXT NOT NULL
      );
      CREATE INDEX signatures_case ON signatures(case_id, id);
      CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
        BEGIN SELECT RAISE(ABORT, 'signatures are immutable'); END;
      CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
        BEGIN SELECT RAISE(ABORT, 'signatures are never deleted'); END;
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_role TEXT NOT NULL,
        action TEXT NOT NULL,
        case_id INTEGER,
        entity TEXT NOT NULL,
        entity_sha256 TEXT NOT NULL,
        details_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
      );
      CREATE INDEX audit_log_case ON audit_log(case_id, seq);
      -- Append-only. The triggers stop honest mistakes; tampering that drops them is caught by
      -- the hash chain and its head anchored outside the database (audit --verify).
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
  },
  {
    version: 5,
    name: 'a case is signed only with a signed label version (issue 18)',
    sql: `
      -- A case without a signed lesion version can never be marked signed, whatever the caller
      -- (a forged cases.setStatus(id, 'signed') used to succeed on a case with no versions).
      CREATE TRIGGER cases_signed_needs_signed_version BEFORE UPDATE OF status ON cases
        WHEN NEW.status = 'signed' AND NOT EXISTS (SELECT 1 FROM label_versions WHERE case_id = NEW.id AND signed = 1)
        BEGIN SELECT RAISE(ABORT, 'a case without a signed label version cannot be signed'); END;
      CREATE TRIGGER cases_insert_signed BEFORE INSERT ON cases WHEN NEW.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a new case cannot be signed'); END;
    `,
  },
  READ_STUDIES_MIGRATION,
  CASE_TRIAL_INFO_MIGRATION,
  LABEL_PATCHES_MIGRATION,
];
