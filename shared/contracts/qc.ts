import { z } from 'zod';
import type { CaseId } from '../domain/ids.ts';
import type { QcFlag, QcSeverity } from '../qc/qc-flag.ts';
import { method } from './contract.ts';

/** A reader's acknowledgement of a QC flag (append-only record). */
export interface QcAcknowledgement {
  readonly code: string;
  /** Severity and message of the flag when it was acknowledged. */
  readonly severity: QcSeverity;
  readonly message: string;
  readonly reader: string;
  readonly reason: string;
  /** ISO 8601 UTC. */
  readonly acknowledgedAt: string;
}

/** A stored flag with whether (and by whom) it was acknowledged. */
export interface CaseQcFlag extends QcFlag {
  readonly acknowledgement: QcAcknowledgement | null;
}

/** The scan QC of a case: its current flags and every acknowledgement ever given. */
export interface CaseQc {
  readonly caseId: CaseId;
  /** `import` before the first analysis, `analysis` after; null when never checked. */
  readonly stage: 'import' | 'analysis' | null;
  /** ISO 8601 UTC time the flags were computed. */
  readonly computedAt: string | null;
  readonly flags: readonly CaseQcFlag[];
  readonly acknowledgements: readonly QcAcknowledgement[];
  /** Codes of blocking flags not yet acknowledged: sign-off is refused while this is non-empty. */
  readonly unacknowledgedBlocking: readonly string[];
}

/** The worklist's view of a case's QC (one row per case). */
export interface CaseQcSummary {
  readonly caseId: CaseId;
  readonly blocking: number;
  readonly warning: number;
  readonly info: number;
  /** Blocking flags not yet acknowledged. */
  readonly unacknowledgedBlocking: number;
  /** Flags as `severity code: message`, most serious first (for the cell's tooltip and filter). */
  readonly flags: readonly QcFlag[];
}

/** Same as `workstation.ts`'s (kept here so the two contract files do not import each other). */
const CaseIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);
export const QcCodeSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
export const QcReasonSchema = z.string().trim().min(3).max(2000);

/**
 * The scan QC service: flags of each case (computed on import and on analysis by `shared/qc`),
 * and the reader's acknowledgement of a flag with a reason, which lifts a blocking flag's hold on
 * sign-off and is recorded for ever.
 */
export const qcContract = {
  qc: {
    flags: method(z.tuple([CaseIdSchema])).returns<CaseQc>(),
    summaries: method(z.tuple([])).returns<CaseQcSummary[]>(),
    acknowledge: method(z.tuple([CaseIdSchema, QcCodeSchema, QcReasonSchema])).returns<CaseQc>(),
  },
} as const;
export type QcContract = typeof qcContract;
