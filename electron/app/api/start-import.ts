import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import type { AuditActor } from '../../services/audit/audit-trail.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import type { JobManager } from '../../services/jobs/job-manager.ts';

/** Starts an import job of a DICOM folder / NIfTI path (decoded in the compute pool); each series becomes a case. */
export type StartImport = (path: string, by: AuditActor) => JobInfo;

export function createStartImport(deps: {
  readonly store: CaseStore;
  readonly jobs: JobManager;
  readonly compute: CaseCompute;
}): StartImport {
  const { store, jobs, compute } = deps;
  return (path, by) =>
    jobs.start('import', async (ctx) => {
      ctx.progress(0, 1, `reading ${path}`);
      const { series } = await compute.importPath(path, {
        signal: ctx.signal,
        onProgress: (done, total, message) => ctx.progress(done, total, message),
      });
      for (const s of series) ctx.addCase(store.addSeries(s, by, s.contentHash).caseId);
    });
}
