import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { analyzeCase } from '../../services/analysis/analyze-case.ts';
import { CaseStoreError, type CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import type { InferenceService } from '../../services/inference/inference-service.ts';
import type { JobManager } from '../../services/jobs/job-manager.ts';
import type { Logger } from '../../services/logging/logger.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { runRetrainJob } from '../../services/training/retrain-job.ts';
import { SAMPLE_CASE_PATH } from '../paths.ts';
import type { ModelCatalog } from './model-catalog.ts';
import type { StartImport } from './start-import.ts';

export interface JobsApiDeps {
  readonly store: CaseStore;
  readonly jobs: JobManager;
  readonly compute: CaseCompute;
  /** The workstation's one warm model worker. */
  readonly inference: InferenceService;
  readonly catalog: ModelCatalog;
  readonly startImport: StartImport;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  readonly log: Logger;
  readonly dataDir: string;
  /** Python of the training environment (default: retrain-job's own choice). */
  readonly retrainPython?: string | undefined;
}

/** The `jobs` service: imports, analyses and retraining run as cancellable background jobs. */
export function createJobsApi(deps: JobsApiDeps): ServiceApi<WorkstationContract['jobs']> {
  const { store, jobs, compute, inference, catalog, log } = deps;
  return {
    importPath: async (path) => deps.startImport(path, actorOf(deps.reader())),
    importSample: async () => deps.startImport(SAMPLE_CASE_PATH, actorOf(deps.reader())),
    analyze: async (caseId) => {
      const by = actorOf(deps.reader());
      store.getCase(caseId);
      const model = await catalog.active();
      return jobs.start('analyze', async (ctx) => {
        ctx.addCase(caseId);
        ctx.progress(0, 1, model ? `running ${model.metadata.name}` : 'lung mask (no lesion model installed)');
        await analyzeCase(store, caseId, {
          model,
          by,
          signal: ctx.signal,
          onProgress: (d, t, m) => ctx.progress(d, t, m),
          runtime: { compute, inference },
        });
      });
    },
    retrain: async (options) => {
      if (jobs.running('retrain').length > 0)
        throw new CaseStoreError('invalid', 'a retraining is already running; wait for it or cancel it');
      const base = await catalog.active();
      const me = deps.reader();
      const reader = me.login;
      return jobs.start('retrain', async (ctx) => {
        log.info('retraining started', { reader, base: base ? `${base.metadata.name}@${base.metadata.version}` : null, ...options });
        const run = await runRetrainJob(
          ctx,
          {
            store,
            dataDir: deps.dataDir,
            base,
            log: (line) => log.info('retrain', { line }),
            by: actorOf(me),
            ...(deps.retrainPython ? { python: deps.retrainPython } : {}),
          },
          options,
        );
        log.info('retraining finished', { run: run.id, state: run.state, newVersion: run.newVersion, gate: run.gate });
      });
    },
    get: async (id) => jobs.get(id),
    cancel: async (id) => jobs.cancel(id),
  };
}
