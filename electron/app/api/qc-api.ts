import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { QcContract } from '../../../shared/contracts/qc.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { acknowledgeQcFlag, caseQc, qcSummaries } from '../../services/qc/qc-store.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { createHash } from 'node:crypto';

export interface QcApiDeps {
  readonly store: CaseStore;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** Waits for pending background work (e.g. a burden recomputed after a save). */
  readonly idle?: () => Promise<void>;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The `qc` service: flags per case, worklist summaries, acknowledgements with a reason. */
export function createQcApi(deps: QcApiDeps): ServiceApi<QcContract['qc']> {
  const { store } = deps;
  return {
    flags: async (caseId) => {
      await deps.idle?.();
      store.getCase(caseId);
      return caseQc(store.db, caseId);
    },
    summaries: async () => {
      await deps.idle?.();
      return qcSummaries(store.db);
    },
    acknowledge: async (caseId, code, reason) => {
      store.getCase(caseId);
      const me = deps.reader();
      const reader = `${me.displayName} (${me.login}, ${me.role})`;
      const qc = acknowledgeQcFlag(store.db, caseId, code, reader, reason);
      store.audit.append({
        actor: actorOf(me),
        action: 'qc.acknowledge',
        caseId,
        entity: `qc_flag:${caseId}:${code}`,
        sha256: createHash('sha256').update(`${caseId}\u0000${code}\u0000${reason.trim()}`).digest('hex'),
        details: { code, reason: reason.trim() },
      });
      deps.log?.('QC flag acknowledged', { caseId, code, reader: me.login });
      return qc;
    },
  };
}
