import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { TrialContract } from '../../../shared/contracts/trial.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { getTrialInfo, listTrialInfo, setTrialInfo } from '../../services/trial/trial-store.ts';
import { subjectTimelineOf } from '../../services/trial/subject-timeline.ts';

export interface TrialApiDeps {
  readonly store: CaseStore;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** Waits for pending background work (a burden recomputed after a save). */
  readonly idle?: () => Promise<void>;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * The `trial` service: each case's protocol / sponsor / site / subject / visit, and each subject's
 * change from baseline. Reads need a signed-in reader as every other case read; a change is made by
 * the signed-in reader, adjudicator or admin, audited (`trial.set`), and on a signed case only with
 * a reason.
 */
export function createTrialApi(deps: TrialApiDeps): ServiceApi<TrialContract['trial']> {
  const { store } = deps;
  return {
    get: async (caseId) => {
      deps.reader();
      store.getCase(caseId);
      return getTrialInfo(store.db, caseId);
    },
    list: async () => {
      deps.reader();
      return listTrialInfo(store.db);
    },
    set: async (caseId, fields, reason, source) => {
      const me = deps.reader();
      store.getCase(caseId);
      const stored = setTrialInfo(store.db, store.audit, caseId, fields, { actor: actorOf(me), source, reason });
      deps.log?.('trial information set', { caseId, reader: me.login, source });
      return stored;
    },
    timeline: async (caseId) => {
      deps.reader();
      await deps.idle?.();
      store.getCase(caseId);
      return subjectTimelineOf(store, caseId);
    },
  };
}
