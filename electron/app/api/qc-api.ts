import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { QcContract } from '../../../shared/contracts/qc.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { acknowledgeQcFlag, caseQc, qcSummaries } from '../../services/qc/qc-store.ts';

export interface QcApiDeps {
  readonly store: CaseStore;
  /** The signed-in reader (throws when none is set). */
  readonly readerName: () => string;
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
      const reader = deps.readerName();
      const qc = acknowledgeQcFlag(store.db, caseId, code, reader, reason);
      deps.log?.('QC flag acknowledged', { caseId, code, reader });
      return qc;
    },
  };
}
