import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { applyImportTrial } from '../trial/trial-worklist.ts';
import { watchJob } from './job-watch.ts';
import { refreshWorklist } from './refresh-worklist.ts';
import { worklistStore } from './worklist-store.ts';

/**
 * Follows an import job (`start` starts it) to the end in the worklist: progress in the store,
 * a toast with the outcome, the list reloaded, the trial fields of the import applied, and the
 * first imported case selected.
 */
export async function runImport(start: () => Promise<JobInfo>): Promise<void> {
  try {
    const final = await watchJob(await start(), (job) => worklistStore.update((s) => ({ ...s, importJob: job })));
    if (final.state === 'failed') toast(`Import failed: ${final.error ?? final.message}`, 'error');
    else if (final.state === 'done')
      toast(
        final.caseIds.length
          ? `Imported ${final.caseIds.length} series`
          : `Nothing imported${final.message && final.message !== 'done' ? `: ${final.message}` : ''}`,
      );
    await refreshWorklist();
    if (final.state === 'done') await applyImportTrial(final.caseIds, worklistStore.get().cases);
    if (final.caseIds[0] !== undefined) worklistStore.update((s) => ({ ...s, selected: final.caseIds[0]! }));
  } catch (e) {
    toast(`Import failed: ${errorMessage(e)}`, 'error');
  } finally {
    setTimeout(() => worklistStore.update((s) => ({ ...s, importJob: s.importJob?.state === 'running' ? s.importJob : null })), 1500);
  }
}
