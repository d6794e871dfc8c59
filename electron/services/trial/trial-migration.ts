/**
 * Migration 7: the clinical-trial context of each case (protocol, sponsor, site, subject, visit).
 * One row per case, changed in place; its history is the audit trail (`trial.set` entries with
 * every changed field's before/after value and, on a signed case, the reason). Rows are never
 * deleted. The protocol id shares its value space with the read studies' protocol ids.
 */
export const CASE_TRIAL_INFO_MIGRATION: { readonly version: number; readonly name: string; readonly sql: string } = {
  version: 7,
  name: 'studies and timepoints: protocol, sponsor, site, subject and visit of each case',
  sql: `
    CREATE TABLE case_trial_info (
      case_id INTEGER PRIMARY KEY REFERENCES cases(id),
      protocol_id TEXT NOT NULL DEFAULT '',
      sponsor_name TEXT NOT NULL DEFAULT '',
      site_id TEXT NOT NULL DEFAULT '',
      subject_id TEXT NOT NULL DEFAULT '',
      visit_label TEXT NOT NULL DEFAULT '',
      visit_description TEXT NOT NULL DEFAULT '',
      visit_order INTEGER CHECK (visit_order IS NULL OR (visit_order >= 0 AND visit_order <= 999)),
      visit_date TEXT NOT NULL DEFAULT '' CHECK (visit_date = '' OR visit_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      source TEXT NOT NULL CHECK (source IN ('dicom', 'import', 'edit')),
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL CHECK (length(trim(updated_by)) > 0)
    );
    CREATE INDEX case_trial_info_subject ON case_trial_info(protocol_id, subject_id);
    CREATE TRIGGER case_trial_info_no_delete BEFORE DELETE ON case_trial_info
      BEGIN SELECT RAISE(ABORT, 'trial information is never deleted (edit it; the audit trail keeps every value)'); END;
  `,
};
