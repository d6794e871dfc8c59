import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { workstationApi } from '../../app/api.ts';

/**
 * Polls a job until it leaves the `running` state, reporting each snapshot. Resolves with the
 * final JobInfo (done, failed or cancelled). Polling (not push) keeps both transports identical.
 */
export async function watchJob(job: JobInfo, onProgress: (job: JobInfo) => void, intervalMs = 400): Promise<JobInfo> {
  let current = job;
  onProgress(current);
  while (current.state === 'running') {
    await new Promise((r) => setTimeout(r, intervalMs));
    current = await workstationApi().jobs.get(current.id);
    onProgress(current);
  }
  return current;
}
