import type { Db } from '../cases/database.ts';

/**
 * Whose unsaved edits the autosave slot of a case holds (`read_autosave_owners`): the slot is one
 * per case, so a blinded reader is never offered the other reader's autosaved labels.
 */
export class AutosaveOwners {
  constructor(private readonly db: Db) {}

  set(caseId: number, readerId: number): void {
    this.db
      .prepare(
        'INSERT INTO read_autosave_owners (case_id, reader_id, staged_at) VALUES (?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET reader_id = excluded.reader_id, staged_at = excluded.staged_at',
      )
      .run(caseId, readerId, new Date().toISOString());
  }

  /** The reader whose edits the slot holds, or null when unknown (staged without a session, or before read studies). */
  owner(caseId: number): number | null {
    const r = this.db.prepare('SELECT reader_id FROM read_autosave_owners WHERE case_id = ?').get(caseId) as
      { reader_id: number } | undefined;
    return r?.reader_id ?? null;
  }
}
