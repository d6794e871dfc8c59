import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { auditContract, AuditEntryView } from '../../../shared/contracts/audit.ts';
import type { AuditEntry } from '../../services/audit/audit-trail.ts';
import { verifyAuditTrail } from '../../services/audit/verify-audit-trail.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';

const view = (e: AuditEntry): AuditEntryView => ({
  seq: e.seq,
  at: e.at,
  actor: e.actor,
  actorRole: e.actorRole,
  action: e.action,
  caseId: e.caseId,
  entity: e.entity,
  entitySha256: e.entitySha256,
  details: e.details,
  hash: e.hash,
});

/** Main-side implementation of the read-only `audit` service. */
export function createAuditApi(deps: { readonly store: CaseStore }): { audit: ServiceApi<(typeof auditContract)['audit']> } {
  const { store } = deps;
  return {
    audit: {
      entries: async (caseId) => store.audit.entries(caseId === null ? {} : { caseId }).map(view),
      verify: async () => {
        const v = verifyAuditTrail(store.db, store.audit);
        return { ok: v.ok, entries: v.entries, head: v.head, problems: v.problems };
      },
    },
  };
}
