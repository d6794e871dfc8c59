import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { BlindingPolicy } from './blinding-policy.ts';
import { ReadRouting } from './read-routing.ts';
import { ReadStudies } from './read-studies.ts';

/** The read-study services of one store: studies, routing (installed as the store's result rule) and the blinding policy. */
export interface ReadStudyServices {
  readonly studies: ReadStudies;
  readonly routing: ReadRouting;
  readonly policy: BlindingPolicy;
}

/** Creates them and installs the double-read result rule on `store` (`viewer`: the signed-in reader, or null). */
export function createReadStudyServices(store: CaseStore, viewer: () => ReaderView | null): ReadStudyServices {
  const studies = new ReadStudies(store);
  const routing = new ReadRouting(store, studies);
  store.resultRule = (caseId) => routing.resultSignatureId(caseId);
  return { studies, routing, policy: new BlindingPolicy(store, routing, viewer) };
}

/**
 * Installs the double-read result rule on a store opened outside the workstation (CLI, batch) so
 * reports and exports pick the same result everywhere; a store that has a rule keeps it.
 */
export function ensureReadResultRule(store: CaseStore): void {
  if (store.resultRule === null) createReadStudyServices(store, () => null);
}
