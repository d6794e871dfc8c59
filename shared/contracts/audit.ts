import { z } from 'zod';
import { method } from './contract.ts';

/** One audit trail entry as shown (see `electron/services/audit/audit-trail.ts`). */
export interface AuditEntryView {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly actorRole: string;
  readonly action: string;
  readonly caseId: number | null;
  readonly entity: string;
  readonly entitySha256: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly hash: string;
}

/** The outcome of walking the whole chain: ok, or the problems found (first = first broken entry). */
export interface AuditVerificationView {
  readonly ok: boolean;
  readonly entries: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly problems: readonly { readonly seq: number | null; readonly entity: string; readonly problem: string }[];
}

/** The tamper-evident audit trail, read-only from the renderer. */
export const auditContract = {
  audit: {
    /** Entries of one case (or of everything with null), oldest first. */
    entries: method(
      z.tuple([
        z
          .number()
          .int()
          .positive()
          .max(2 ** 31)
          .nullable(),
      ]),
    ).returns<AuditEntryView[]>(),
    verify: method(z.tuple([])).returns<AuditVerificationView>(),
  },
} as const;
