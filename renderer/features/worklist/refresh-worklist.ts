import { workstationApi } from '../../app/api.ts';
import { errorMessage } from '../../ui/toast.ts';
import { refreshQcSummaries } from '../qc/qc-store.ts';
import { refreshReadStates } from '../read-studies/read-state-store.ts';
import { refreshTrialInfo } from '../trial/trial-store.ts';
import { worklistStore } from './worklist-store.ts';

/** Reloads the case list from the main process. */
export async function refreshWorklist(): Promise<void> {
  worklistStore.update((s) => ({ ...s, loading: true }));
  try {
    const api = workstationApi();
    const [cases, pending] = await Promise.all([
      api.cases.list(),
      api.autosave.pending().catch(() => []),
      refreshQcSummaries().catch(() => undefined),
      refreshTrialInfo().catch(() => undefined),
      refreshReadStates().catch(() => undefined),
    ]);
    worklistStore.update((s) => ({ ...s, cases, pending, loading: false, error: null, selected: s.selected ?? cases[0]?.id ?? null }));
  } catch (e) {
    worklistStore.update((s) => ({ ...s, loading: false, error: errorMessage(e) }));
  }
}
