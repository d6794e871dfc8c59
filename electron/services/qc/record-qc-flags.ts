import type { CaseId } from '../../../shared/domain/ids.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import type { Db } from '../cases/database.ts';

/**
 * Replaces the stored QC flags of a case by those of a new check (`import` or `analysis`). Flags
 * are derived data and follow the scan and its masks; acknowledgements are kept apart, for ever.
 */
export function recordQcFlags(db: Db, caseId: CaseId, stage: 'import' | 'analysis', flags: readonly QcFlag[]): void {
  const t = new Date().toISOString();
  db.transaction(() => {
    db.prepare('DELETE FROM qc_flags WHERE case_id = ?').run(caseId);
    const ins = db.prepare('INSERT INTO qc_flags (case_id, code, severity, message, stage, computed_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const f of flags) ins.run(caseId, f.code, f.severity, f.message, stage, t);
    db.prepare(
      'INSERT INTO qc_runs (case_id, stage, computed_at) VALUES (?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET stage = excluded.stage, computed_at = excluded.computed_at',
    ).run(caseId, stage, t);
  })();
}
