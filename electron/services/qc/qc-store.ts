import type { CaseQc, CaseQcFlag, CaseQcSummary, QcAcknowledgement } from '../../../shared/contracts/qc.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { QC_SEVERITIES, type QcFlag, type QcSeverity } from '../../../shared/qc/qc-flag.ts';
import type { Db } from '../cases/database.ts';
import { CaseStoreError, type CaseStore } from '../cases/case-store.ts';

export { recordQcFlags } from './record-qc-flags.ts';

/** Refusal of a sign-off while blocking QC flags are not acknowledged. */
export class QcBlockedError extends CaseStoreError {
  constructor(
    readonly caseId: CaseId,
    readonly codes: readonly string[],
    messages: readonly string[],
  ) {
    super(
      'conflict',
      `sign-off refused: case ${caseId} has ${codes.length} blocking QC flag(s) not acknowledged (${codes.join(', ')}): ${messages.join(' ')} Acknowledge each with a reason first.`,
    );
    this.name = 'QcBlockedError';
  }
}

interface FlagRow {
  code: string;
  severity: QcSeverity;
  message: string;
  stage: 'import' | 'analysis';
  computed_at: string;
}
interface AckRow {
  code: string;
  severity: QcSeverity;
  message: string;
  reader: string;
  reason: string;
  acknowledged_at: string;
}

const bySeverity = (a: { severity: QcSeverity }, b: { severity: QcSeverity }): number =>
  QC_SEVERITIES.indexOf(a.severity) - QC_SEVERITIES.indexOf(b.severity);

const ackOf = (r: AckRow): QcAcknowledgement => ({
  code: r.code,
  severity: r.severity,
  message: r.message,
  reader: r.reader,
  reason: r.reason,
  acknowledgedAt: r.acknowledged_at,
});

/** The stored QC of a case: flags (with their acknowledgement), every acknowledgement, what still blocks. */
export function caseQc(db: Db, caseId: CaseId): CaseQc {
  const rows = db
    .prepare('SELECT code, severity, message, stage, computed_at FROM qc_flags WHERE case_id = ? ORDER BY id')
    .all(caseId) as FlagRow[];
  const acks = (
    db
      .prepare('SELECT code, severity, message, reader, reason, acknowledged_at FROM qc_acknowledgements WHERE case_id = ? ORDER BY id')
      .all(caseId) as AckRow[]
  ).map(ackOf);
  const latestAck = new Map<string, QcAcknowledgement>();
  for (const a of acks) latestAck.set(a.code, a);
  const flags: CaseQcFlag[] = rows
    .map((r) => ({ code: r.code, severity: r.severity, message: r.message, acknowledgement: latestAck.get(r.code) ?? null }))
    .sort(bySeverity);
  const run = db.prepare('SELECT stage, computed_at FROM qc_runs WHERE case_id = ?').get(caseId) as
    Pick<FlagRow, 'stage' | 'computed_at'> | undefined;
  return {
    caseId,
    stage: run?.stage ?? rows[0]?.stage ?? null,
    computedAt: run?.computed_at ?? rows[0]?.computed_at ?? null,
    flags,
    acknowledgements: acks,
    unacknowledgedBlocking: flags.filter((f) => f.severity === 'blocking' && f.acknowledgement === null).map((f) => f.code),
  };
}

/** QC counts and flags of every case (the worklist's column and filter). */
export function qcSummaries(db: Db): CaseQcSummary[] {
  const rows = db.prepare('SELECT case_id, code, severity, message FROM qc_flags ORDER BY case_id, id').all() as (FlagRow & {
    case_id: number;
  })[];
  const acked = new Set(
    (db.prepare('SELECT DISTINCT case_id, code FROM qc_acknowledgements').all() as { case_id: number; code: string }[]).map(
      (r) => `${r.case_id}|${r.code}`,
    ),
  );
  const out = new Map<number, { blocking: number; warning: number; info: number; unacknowledgedBlocking: number; flags: QcFlag[] }>();
  for (const r of rows) {
    let s = out.get(r.case_id);
    if (!s) out.set(r.case_id, (s = { blocking: 0, warning: 0, info: 0, unacknowledgedBlocking: 0, flags: [] }));
    s[r.severity]++;
    if (r.severity === 'blocking' && !acked.has(`${r.case_id}|${r.code}`)) s.unacknowledgedBlocking++;
    s.flags.push({ code: r.code, severity: r.severity, message: r.message });
  }
  return [...out].map(([id, s]) => ({ caseId: id as CaseId, ...s, flags: s.flags.sort(bySeverity) }));
}

/**
 * Records a reader's acknowledgement of a current flag of a case, with the reason (append-only).
 * @throws CaseStoreError `not-found` when the case has no such flag, `invalid` without reader/reason.
 */
export function acknowledgeQcFlag(db: Db, caseId: CaseId, code: string, reader: string, reason: string): CaseQc {
  if (!reader.trim()) throw new CaseStoreError('invalid', 'acknowledging a QC flag needs the reader identity');
  if (!reason.trim()) throw new CaseStoreError('invalid', 'acknowledging a QC flag needs a reason');
  const flag = db
    .prepare('SELECT code, severity, message FROM qc_flags WHERE case_id = ? AND code = ? ORDER BY id LIMIT 1')
    .get(caseId, code) as Pick<FlagRow, 'code' | 'severity' | 'message'> | undefined;
  if (!flag) throw new CaseStoreError('not-found', `case ${caseId} has no QC flag "${code}"`);
  db.prepare(
    'INSERT INTO qc_acknowledgements (case_id, code, severity, message, reader, reason, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(caseId, code, flag.severity, flag.message, reader.trim(), reason.trim(), new Date().toISOString());
  return caseQc(db, caseId);
}

/**
 * The QC hold on sign-off: throws {@link QcBlockedError} (a `conflict`, with every blocking flag's
 * sentence) while the case has a blocking flag no reader has acknowledged. Called first in the
 * sign-off path.
 */
export function assertNoUnacknowledgedBlockingQc(store: CaseStore, caseId: CaseId): void {
  const qc = caseQc(store.db, caseId);
  if (qc.unacknowledgedBlocking.length === 0) return;
  const blocking = qc.flags.filter((f) => qc.unacknowledgedBlocking.includes(f.code));
  throw new QcBlockedError(
    caseId,
    qc.unacknowledgedBlocking,
    blocking.map((f) => f.message),
  );
}
