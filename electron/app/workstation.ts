import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractApi } from '../../shared/contracts/contract.ts';
import type { BurdenView, VersionComparison, WorkstationContract } from '../../shared/contracts/workstation.ts';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../shared/domain/volume.ts';
import { pairAgreement } from '../../shared/imaging/agreement.ts';
import { CaseStore, CaseStoreError } from '../services/cases/case-store.ts';
import { JobManager } from '../services/jobs/job-manager.ts';
import type { ModelBundle } from '../services/inference/model-registry.ts';
import { createModelCatalog } from './api/model-catalog.ts';
import { createModelsApi } from './api/models-api.ts';
import { createAutosaveApi } from './api/autosave-api.ts';
import { createJobsApi } from './api/jobs-api.ts';
import { createStartImport } from './api/start-import.ts';
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
import { createLungLabelsApi } from './api/lung-labels-api.ts';
import { ReaderAccounts, actorOf } from '../services/readers/reader-accounts.ts';
import { ReaderSession } from '../services/readers/reader-session.ts';
import { SYSTEM_ACTOR } from '../services/audit/audit-trail.ts';
import { ComputePool } from '../services/compute/compute-pool.ts';
import { CaseCompute } from '../services/compute/case-compute.ts';
import { InferenceService } from '../services/inference/inference-service.ts';

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
  const jobs = new JobManager((info) =>
    info.state === 'failed' ? log.warn(`${info.kind} job failed`, { job: info.id, error: info.error }) : log.info(`${info.kind} job ${info.state}`, { job: info.id, cases: info.caseIds }),
    (kind, e) => log.error(`${kind} job: internal error`, internalErrorFields(e)),
  );
  const autosave = new AutosaveStore(opts.dataDir);
  // heavy work off the main thread: compute pool (decode, lung mask, labels, burden) and one warm model worker
  const compute = new CaseCompute(store, new ComputePool());
  const inference = new InferenceService({ logger: (level, message) => log[level]('inference', { message }) });
  const background = new BackgroundQueue((what, e) => log.warn('background task failed', { what, error: e instanceof Error ? e.message : String(e) }));
  log.info('workstation started', { dataDir: opts.dataDir, cases: store.listCases().length });
  const builtinDir = opts.builtinModelsDir ?? join(APP_ROOT, 'models');
  const userDir = opts.userModelsDir ?? join(opts.dataDir, 'models');

  const catalog = createModelCatalog({ store, builtinDir, userDir });
  const activeModel = (): Promise<ModelBundle | null> => catalog.active();
  const accounts = new ReaderAccounts(store.db, store.audit);
  const session = new ReaderSession(accounts, store.audit);
  const readersApi = createReadersApi({ store, accounts, session, log, idle: () => background.idle() });
  const actor = () => (session.current() ? actorOf(session.require()) : SYSTEM_ACTOR);

  const startImport = createStartImport({ store, jobs, compute });

  const api: ContractApi<WorkstationContract> = {
    cases: {
      // reads that show stored burdens wait for the burden of a just-saved version
      list: async () => {
        await background.idle();
        return store.listCases();
      },
      get: async (id) => store.getCase(id),
      volumeBytes: async (id) => {
        const v = await compute.loadVolume(id);
        return new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength);
      },
      labelBytes: async (id) => compute.loadLabels(id),
      saveLesionLabels: async (caseId, bytes, parentId, note) => {
        const me = session.require();
        const { info: v, labels } = await compute.saveLabelVersion(caseId, 'lesion', bytes, { kind: 'reader', name: me.displayName, readerId: me.id }, { parentId, note, by: actorOf(me) });
        autosave.discard(caseId);
        log.info('label version saved', { caseId, version: v.version });
        // The stored burden (worklist, reports) follows after the reply: the reader already sees the
        // live burden of these labels, and the reads that show it (list, burden, sign-off) wait for it.
        background.run(`burden of case ${caseId} v${v.version}`, async () => void (await compute.recordBurdenAndQc(caseId, v.id, labels, 'interactive')));
        return v;
      },
      saveLungLabels: createLungLabelsApi({ store, compute, reader: () => session.require(), background: (what, task) => background.run(what, task), log: (m, f) => log.info(m, f) }),
      signOff: async (caseId, versionId, password) => readersApi.signOff(caseId, versionId, password),
      burden: async (id) => {
        await background.idle();
        return (store.latestBurden(id)?.burden as BurdenView | undefined) ?? null;
      },
      compareVersions: async (a, b) => compareVersions(store, a, b),
    },
    jobs: createJobsApi({ store, jobs, compute, inference, catalog, startImport, reader: () => session.require(), log, dataDir: opts.dataDir, retrainPython: opts.retrainPython }),
    readers: readersApi.readers,
    adjudication: readersApi.adjudication,
    ...createAuditApi({ store }),
    autosave: createAutosaveApi({ store, compute, autosave, dataDir: opts.dataDir }),
    models: createModelsApi({ store, catalog, dataDir: opts.dataDir, reader: () => session.require(), log: (m, f) => log.info(m, f) }),
    qc: createQcApi({ store, reader: () => session.require(), idle: () => background.idle(), log: (m, f) => log.info(m, f) }),
    exports: createExportsApi({ store, dataDir: opts.dataDir, dialogs: opts.dialogs, actor: () => actorOf(session.require()), log: (m, f) => log.info(m, f) }),
    imports: createImportsApi({ dataDir: opts.dataDir, startImport: (path) => startImport(path, actor()), waitJob: (id) => jobs.wait(id), dialogs: opts.dialogs, log: (m, f) => log.info(m, f) }),
    pacs: createPacsApi({ store, jobs, log, dataDir: opts.dataDir, encryptor: opts.secretEncryptor ?? null }),
  };

  if ((opts.seedSample ?? true) && store.listCases().length === 0 && existsSync(SAMPLE_CASE_PATH)) {
    const info = startImport(SAMPLE_CASE_PATH, SYSTEM_ACTOR);
    await jobs.wait(info.id);
  }

  return {
    api,
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

/** Per-class Dice and volumes of two lesion versions of the same case (shared agreement code). */
export function compareVersions(store: CaseStore, a: LabelVersionId, b: LabelVersionId): VersionComparison {
  const va = store.labelVersion(a);
  const vb = store.labelVersion(b);
  if (va.caseId !== vb.caseId) throw new CaseStoreError('invalid', 'versions belong to different cases');
  const ml = voxelVolumeMl(store.getCase(va.caseId as CaseId).geometry);
  const r = pairAgreement(store.loadLabels(a), store.loadLabels(b), ml);
  return {
    a,
    b,
    dice: r.dice,
    volumeMl: {
      a: { ggo: r.volumeMlA.ggo, highOpacity: r.volumeMlA.highOpacity },
      b: { ggo: r.volumeMlB.ggo, highOpacity: r.volumeMlB.highOpacity },
    },
  };
}
