import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { watchJob } from './job-watch.ts';
import { refreshWorklist } from './refresh-worklist.ts';
import { worklistStore } from './worklist-store.ts';

/** Starts the AI run of a case and follows it to the end. */
export async function runAnalyze(caseId: CaseId): Promise<JobInfo | null> {
  const signed = worklistStore.get().cases.find((x) => x.id === caseId)?.result;
  if (
    signed &&
    !window.confirm(
      `This case is signed (result: v${signed.lesionVersion} by ${signed.signature.readerName}). Run the AI again? It adds a new, unsigned model version; the signed version stays the case result.`,
    )
  )
    return null;
  try {
    const final = await watchJob(await workstationApi().jobs.analyze(caseId), (job) =>
      worklistStore.update((s) => ({ ...s, analyzeJobs: { ...s.analyzeJobs, [caseId]: job } })),
    );
    if (final.state === 'failed') toast(`AI run failed: ${final.error ?? final.message}`, 'error');
    else if (final.state === 'cancelled') toast('AI run cancelled');
    await refreshWorklist();
    if (final.state === 'done' && signed) {
      toast(
        `AI finished: a new unsigned version was added; the result stays v${signed.lesionVersion} signed by ${signed.signature.readerName}`,
      );
    } else if (final.state === 'done') {
      const c = worklistStore.get().cases.find((x) => x.id === caseId);
      toast(
        c?.modelVersion
          ? `AI finished: burden ${c.burdenPercent === null ? '—' : `${c.burdenPercent.toFixed(1)} %`} (${c.modelVersion})`
          : 'Lung mask ready. No lesion model is installed: lesions start empty for manual segmentation.',
      );
    }
    return final;
  } catch (e) {
    toast(`AI run failed: ${errorMessage(e)}`, 'error');
    return null;
  } finally {
    worklistStore.update((s) => ({
      ...s,
      analyzeJobs: Object.fromEntries(Object.entries(s.analyzeJobs).filter(([id, j]) => Number(id) !== caseId || j.state === 'running')),
    }));
  }
}
