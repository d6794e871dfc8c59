import type { ContractApi } from '../../../shared/contracts/contract.ts';
import type { PacsContract } from '../../../shared/contracts/pacs.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import type { JobManager } from '../../services/jobs/job-manager.ts';
import type { Logger } from '../../services/logging/logger.ts';
import { PacsNodes, type SecretEncryptor } from '../../services/pacs/pacs-nodes.ts';
import { PacsError } from '../../services/pacs/pacs-error.ts';
import { retrieveSeries } from '../../services/pacs/retrieve-series.ts';
import { pushCaseResults } from '../../services/pacs/push-results.ts';

/** DICOM UIDs inside free text (logged lines keep none: UIDs identify patients' studies). */
const UID_IN_TEXT = /\b\d+(?:\.\d+){3,}\b/g;

export interface PacsApiDeps {
  readonly store: CaseStore;
  readonly jobs: JobManager;
  readonly log: Logger;
  readonly dataDir: string;
  /** Electron `safeStorage` in the Electron main; absent in browser mode (secrets kept for the session only). */
  readonly encryptor?: SecretEncryptor | null;
}

/**
 * The `pacs` service of the workstation contract: DICOMweb nodes, search, retrieve into the
 * worklist (a job), push of results. Logs name nodes and UIDs, never credentials.
 */
export function createPacsApi(deps: PacsApiDeps): ContractApi<PacsContract>['pacs'] {
  const nodes = new PacsNodes(deps.store, deps.encryptor ?? null);
  const clientOf = (id: string) =>
    nodes.client(id, (what, attempt, e) =>
      deps.log.warn('PACS request retried', {
        node: id,
        what: what.replace(UID_IN_TEXT, '<uid>'),
        attempt,
        code: e.code,
        status: e.status,
      }),
    );
  const withClient = async <T>(id: string, run: (c: ReturnType<typeof clientOf>) => Promise<T>): Promise<T> => {
    const c = clientOf(id);
    try {
      return await run(c);
    } finally {
      c.close();
    }
  };

  return {
    nodes: async () => nodes.list(),
    saveNode: async (input, secret) => {
      const id = nodes.save(input, secret);
      deps.log.info('PACS node saved', { node: id, auth: input.auth.kind, secretStorage: nodes.get(id).secretStorage });
      return nodes.list();
    },
    removeNode: async (id) => {
      nodes.remove(id);
      deps.log.info('PACS node removed', { node: id });
      return nodes.list();
    },
    testNode: async (id) => {
      try {
        const n = await withClient(id, (c) => c.searchStudies({ limit: 1 }));
        return { ok: true, message: `the PACS answered (${n.length ? 'studies found' : 'no studies yet'})` };
      } catch (e) {
        if (e instanceof PacsError) return { ok: false, message: e.message };
        throw e;
      }
    },
    searchStudies: async (id, q) => withClient(id, (c) => c.searchStudies(q)),
    searchSeries: async (id, studyUid) => withClient(id, (c) => c.searchSeries(studyUid)),
    retrieveSeries: async (id, studyUid, seriesUid) => {
      const client = clientOf(id);
      return deps.jobs.start('import', async (ctx) => {
        try {
          ctx.progress(0, 1, 'connecting to the PACS');
          const r = await retrieveSeries(
            client,
            deps.store,
            { dataDir: deps.dataDir, studyInstanceUid: studyUid, seriesInstanceUid: seriesUid },
            {
              signal: ctx.signal,
              onProgress: (d, t, m) => ctx.progress(d, t, m),
            },
          );
          for (const c of r.caseIds) ctx.addCase(c);
          deps.log.info('PACS series retrieved', {
            node: id,
            seriesUid,
            instances: r.instances,
            resumed: r.resumed,
            cases: r.caseIds,
            duplicate: r.duplicate,
          });
        } finally {
          client.close();
        }
      });
    },
    pushResults: async (id, caseId, o) => {
      const r = await withClient(id, (c) => pushCaseResults(c, deps.store, caseId, { preliminary: o.preliminary }));
      deps.log.info('PACS results stored', { node: id, caseId, version: r.labelVersion, state: r.state, objects: r.stored.length });
      return r;
    },
  };
}
