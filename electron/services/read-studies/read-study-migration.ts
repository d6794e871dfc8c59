import type { Migration } from '../cases/migrations.ts';

/** Migration 6 (issue 15): read studies, assignments, stored agreements, autosave owners (`electron/services/read-studies/`). */
export const READ_STUDIES_MIGRATION: Migration = {
  version: 6,
  name: 'read studies: read design, blinding, agreement thresholds, case assignments, stored agreement (issue 15)',
  sql: `
    CREATE TABLE read_studies (
      id INTEGER PRIMARY KEY,
      protocol_id TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      design TEXT NOT NULL CHECK (design IN ('single', 'double', 'double-adjudication')),
      hide_ai INTEGER NOT NULL DEFAULT 0 CHECK (hide_ai IN (0, 1)),
      min_lesion_dice REAL NOT NULL,
      max_burden_diff_pp REAL NOT NULL,
      max_lesion_volume_diff_ml REAL NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    );
    CREATE TABLE read_assignments (
      id INTEGER PRIMARY KEY,
      study_id INTEGER NOT NULL REFERENCES read_studies(id),
      case_id INTEGER NOT NULL REFERENCES cases(id),
      reader_id INTEGER NOT NULL REFERENCES readers(id),
      slot TEXT NOT NULL CHECK (slot IN ('read1', 'read2', 'adjudicator')),
      assigned_at TEXT NOT NULL,
      assigned_by TEXT NOT NULL,
      UNIQUE (case_id, slot)
    );
    CREATE INDEX read_assignments_reader ON read_assignments(reader_id, case_id);
    -- Agreement of the two signed reads of a case, computed once both are signed (append-only).
    CREATE TABLE read_agreements (
      id INTEGER PRIMARY KEY,
      study_id INTEGER NOT NULL REFERENCES read_studies(id),
      case_id INTEGER NOT NULL REFERENCES cases(id),
      read1_signature_id INTEGER NOT NULL REFERENCES signatures(id),
      read2_signature_id INTEGER NOT NULL REFERENCES signatures(id),
      agreement_json TEXT NOT NULL,
      within_thresholds INTEGER NOT NULL CHECK (within_thresholds IN (0, 1)),
      exceeded_json TEXT NOT NULL,
      computed_at TEXT NOT NULL,
      UNIQUE (read1_signature_id, read2_signature_id)
    );
    CREATE TRIGGER read_agreements_no_update BEFORE UPDATE ON read_agreements
      BEGIN SELECT RAISE(ABORT, 'a stored agreement never changes'); END;
    CREATE TRIGGER read_agreements_no_delete BEFORE DELETE ON read_agreements
      BEGIN SELECT RAISE(ABORT, 'a stored agreement is never deleted'); END;
    -- Whose unsaved edits the autosave slot of a case holds (blinding: never shown to the other reader).
    CREATE TABLE read_autosave_owners (
      case_id INTEGER PRIMARY KEY REFERENCES cases(id),
      reader_id INTEGER NOT NULL REFERENCES readers(id),
      staged_at TEXT NOT NULL
    );
  `,
};
