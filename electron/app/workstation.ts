import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractApi } from '../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../shared/contracts/workstation.ts';
import { CaseStore } from '../services/cases/case-store.ts';
import { JobManager } from '../services/jobs/job-manager.ts';
import type { ModelBundle } from '../services/inference/model-registry.ts';
import { createModelCatalog } from './api/model-catalog.ts';
import { createModelsApi } from './api/models-api.ts';
import { createAutosaveApi } from './api/autosave-api.ts';
import { createJobsApi } from './api/jobs-api.ts';
import { createStartImport } from './api/start-import.ts';
import { createCasesApi } from './api/cases-api.ts';
import { APP_ROOT, SAMPLE_CASE_PATH } from './paths.ts';
import { AutosaveStore } from '../services/autosave/autosave-store.ts';
import { createLogger, type Logger } from '../services/logging/logger.ts';
import { internalErrorFields } from '../services/logging/user-error.ts';
import { BackgroundQueue } from './background-queue.ts';
import { createQcApi } from './api/qc-api.ts';
import { createExportsApi } from './api/exports-api.ts';
import { createImportsApi } from './api/imports-api.ts';
import type { WorkstationDialogs } from './workstation-dialogs.ts';
import { createPacsApi } from './api/pacs-api.ts';
import type { SecretEncryptor } from '../services/pacs/pacs-nodes.ts';
import { createReadersApi } from './api/readers-api.ts';
import { createAuditApi } from './api/audit-api.ts';
import { createTrialApi } from './api/trial-api.ts';
import { createLungLabelsApi } from './api/lung-labels-api.ts';
import { createLungAutosaveApi, LUNG_AUTOSAVE_DIR } from './api/lung-autosave-api.ts';
import { createLabelPatchesApi } from './api/label-patches-api.ts';
import { ReaderAccounts, actorOf } from '../services/readers/reader-accounts.ts';
import { ReaderSession } from '../services/readers/reader-session.ts';
import { SYSTEM_ACTOR } from '../services/audit/audit-trail.ts';
import { ComputePool } from '../services/compute/compute-pool.ts';
import { CaseCompute } from '../services/compute/case-compute.ts';
import { InferenceService } from '../services/inference/inference-service.ts';
import { createReadStudyServices } from '../services/read-studies/read-study-services.ts';
import { createReadStudiesApi } from './api/read-studies-api.ts';
import { withBlinding } from './api/blinded-api.ts';

export interface WorkstationOptions {
  /** Folder of the case database and voxel cache. */
  readonly dataDir: string;
  /** Folder of bundled models (default `<app>/models`). */
  readonly builtinModelsDir?: string;
  /** Folder of user-registered models (default `<dataDir>/models`). */
  readonly userModelsDir?: string;
  /** Import the bundled sample case when the store is empty (first start). Default true. */
  readonly seedSample?: boolean;
  /** Python of the training environment used by retraining (default `$LUNG_BURDEN_PYTHON` or `<app>/.venv/bin/python`). */
  readonly retrainPython?: string;
  /** Native dialogs (Electron) for import folders and export destinations; absent: upload / download. */
  readonly dialogs?: WorkstationDialogs;
  /** OS-backed encryption of PACS secrets (Electron `safeStorage`); absent: secrets are kept for the session only. */
  readonly secretEncryptor?: SecretEncryptor;
}

export interface Workstation {
  readonly api: ContractApi<WorkstationContract>;
  readonly store: CaseStore;
  readonly jobs: JobManager;
  readonly log: Logger;
  /** Reader accounts and the workstation's signed-in reader. */
  readonly accounts: ReaderAccounts;
  readonly session: ReaderSession;
  activeModel(): Promise<ModelBundle | null>;
  /** Cancels the running jobs and waits for them (bounded), then closes the store and the log. */
  close(): Promise<void>;
}

/**
 * The composition root of the main-process services, shared by Electron (IPC), browser mode
 * (loopback bridge) and the CLI: one case store, one job manager, the model registry.
 */
export async function createWorkstation(opts: WorkstationOptions): Promise<Workstation> {
  const store = CaseStore.open(opts.dataDir);
  const log = createLogger({ dataDir: opts.dataDir });
  const jobs = new JobManager(
    (info) =>
      info.state === 'failed'
        ? log.warn(`${info.kind} job failed`, { job: info.id, error: info.error })
        : log.info(`${info.kind} job ${info.state}`, { job: info.id, cases: info.caseIds }),
    (kind, e) => log.error(`${kind} job: internal error`, internalErrorFields(e)),
  );
  const autosave = new AutosaveStore(opts.dataDir);
  // heavy work off the main thread: compute pool (decode, lung mask, labels, burden) and one warm model worker
  const compute = new CaseCompute(store, new ComputePool());
  const inference = new InferenceService({ logger: (level, message) => log[level]('inference', { message }) });
  const background = new BackgroundQueue((what, e) =>
    log.warn('background task failed', { what, error: e instanceof Error ? e.message : String(e) }),
  );
  log.info('workstation started', { dataDir: opts.dataDir, cases: store.listCases().length });
  const builtinDir = opts.builtinModelsDir ?? join(APP_ROOT, 'models');
  const userDir = opts.userModelsDir ?? join(opts.dataDir, 'models');

  const catalog = createModelCatalog({ store, builtinDir, userDir });
  const activeModel = (): Promise<ModelBundle | null> => catalog.active();
  const accounts = new ReaderAccounts(store.db, store.audit);
  const session = new ReaderSession(accounts, store.audit);
  const readersApi = createReadersApi({ store, accounts, session, log, idle: () => background.idle(), compute });
  const actor = () => (session.current() ? actorOf(session.require()) : SYSTEM_ACTOR);
  const reads = createReadStudyServices(store, () => session.current());

  const startImport = createStartImport({ store, jobs, compute });

  const api: ContractApi<WorkstationContract> = {
    cases: createCasesApi({
      store,
      compute,
      autosave,
      background,
      reader: () => session.require(),
      log: (m, f) => log.info(m, f),
      saveLungLabels: createLungLabelsApi({
        store,
        compute,
        lungAutosave: new AutosaveStore(join(opts.dataDir, LUNG_AUTOSAVE_DIR)),
        reader: () => session.require(),
        background: (what, task) => background.run(what, task),
        log: (m, f) => log.info(m, f),
      }),
      signOff: async (caseId, versionId, password) => readersApi.signOff(caseId, versionId, password),
    }),
    jobs: createJobsApi({
      store,
      jobs,
      compute,
      inference,
      catalog,
      startImport,
      reader: () => session.require(),
      log,
      dataDir: opts.dataDir,
      retrainPython: opts.retrainPython,
    }),
    readers: readersApi.readers,
    adjudication: readersApi.adjudication,
    ...createAuditApi({ store }),
    autosave: createAutosaveApi({ store, compute, autosave, dataDir: opts.dataDir }),
    ...createLungAutosaveApi({ store, compute, dataDir: opts.dataDir }),
    models: createModelsApi({ store, catalog, dataDir: opts.dataDir, reader: () => session.require(), log: (m, f) => log.info(m, f) }),
    qc: createQcApi({ store, reader: () => session.require(), idle: () => background.idle(), log: (m, f) => log.info(m, f) }),
    exports: createExportsApi({
      store,
      dataDir: opts.dataDir,
      dialogs: opts.dialogs,
      actor: () => actorOf(session.require()),
      log: (m, f) => log.info(m, f),
    }),
    imports: createImportsApi({
      dataDir: opts.dataDir,
      startImport: (path) => startImport(path, actor()),
      waitJob: (id) => jobs.wait(id),
      dialogs: opts.dialogs,
      log: (m, f) => log.info(m, f),
    }),
    pacs: createPacsApi({ store, jobs, log, dataDir: opts.dataDir, encryptor: opts.secretEncryptor ?? null }),
    trial: createTrialApi({ store, reader: () => session.require(), idle: () => background.idle(), log: (m, f) => log.info(m, f) }),
    ...createReadStudiesApi({ store, ...reads, accounts, reader: () => session.require(), dialogs: opts.dialogs }),
    ...createLabelPatchesApi({
      compute,
      autosave,
      background,
      dataDir: opts.dataDir,
      reader: () => session.require(),
      log: (m, f) => log.info(m, f),
    }),
  };

  if ((opts.seedSample ?? true) && store.listCases().length === 0 && existsSync(SAMPLE_CASE_PATH)) {
    const info = startImport(SAMPLE_CASE_PATH, SYSTEM_ACTOR);
    await jobs.wait(info.id);
  }

  return {
    api: withBlinding(api, { store, ...reads, viewer: () => session.current() }),
    store,
    jobs,
    activeModel,
    log,
    accounts,
    session,
    close: async () => {
      background.stop();
      if (!(await jobs.abortAllAndWait())) log.warn('workstation closing with jobs that did not stop within 30 s');
      await inference.dispose();
      await compute.pool.close();
      store.close();
      log.info('workstation closed');
      log.close();
    },
  };
}
