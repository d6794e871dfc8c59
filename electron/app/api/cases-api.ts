import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { AutosaveStore } from '../../services/autosave/autosave-store.ts';
import type { CaseStore } from '../../services/cases/case-store.ts';
import type { CaseCompute } from '../../services/compute/case-compute.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import type { BackgroundQueue } from '../background-queue.ts';
import { compareVersionsOffThread } from './compare-versions.ts';
import { afterLesionSave } from './after-lesion-save.ts';

export interface CasesApiDeps {
  readonly store: CaseStore;
  readonly compute: CaseCompute;
  readonly autosave: AutosaveStore;
  /** Work after the reply (the stored burden of a saved version); reads of stored burdens wait for it. */
  readonly background: BackgroundQueue;
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** The lung-label save (its own module) and the sign-off (the readers service). */
  readonly saveLungLabels: ServiceApi<WorkstationContract['cases']>['saveLungLabels'];
  readonly signOff: ServiceApi<WorkstationContract['cases']>['signOff'];
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The `cases` service: the worklist, voxels and labels as binary, saved label versions, stored burdens. */
export function createCasesApi(deps: CasesApiDeps): ServiceApi<WorkstationContract['cases']> {
  const { store, compute, background } = deps;
  return {
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
      const me = deps.reader();
      const { info: v, labels } = await compute.saveLabelVersion(
        caseId,
        'lesion',
        bytes,
        { kind: 'reader', name: me.displayName, readerId: me.id },
        { parentId, note, by: actorOf(me) },
        'interactive',
        true,
      );
      afterLesionSave(deps, caseId, v, labels); // autosave dropped, stored burden after the reply
      return v;
    },
    saveLungLabels: deps.saveLungLabels,
    signOff: deps.signOff,
    burden: async (id) => {
      await background.idle();
      return store.latestBurden(id)?.burden ?? null;
    },
    compareVersions: async (a, b) => compareVersionsOffThread(store, compute, a, b),
  };
}
