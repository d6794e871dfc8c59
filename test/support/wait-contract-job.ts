import type { JobInfo } from '../../shared/contracts/workstation.ts';
import type { Dispatch } from '../../electron/ipc/dispatcher.ts';

/** Polls `jobs.get` through the dispatcher (the renderer's path) until the job is no longer running. */
export async function waitContractJob(call: Dispatch, job: JobInfo): Promise<JobInfo> {
  for (;;) {
    const j = (await call('jobs.get', [job.id])) as JobInfo;
    if (j.state !== 'running') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
}
