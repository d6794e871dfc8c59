import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { saveLabelPatch, stageLabelPatch } from '../../services/compute/save-label-patch.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { afterLesionSave, type AfterLesionSaveDeps } from './after-lesion-save.ts';

export interface LabelPatchesApiDeps extends AfterLesionSaveDeps {
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** Folder of the case database; the autosave slots live under it. */
  readonly dataDir: string;
}

/**
 * `labelPatches.*`: the review screen's saves as sparse patches (`shared/contracts/label-patches.ts`).
 * The version stored, its audit entry and what follows (autosave dropped, stored burden after the
 * reply) are those of `cases.saveLesionLabels`, the autosave slot that of `autosave.stage`; only
 * what crosses the boundary is smaller.
 */
export function createLabelPatchesApi(deps: LabelPatchesApiDeps): { labelPatches: ServiceApi<WorkstationContract['labelPatches']> } {
  return {
    labelPatches: {
      saveLesionPatch: async (caseId, patch, parentId, sha256, note) => {
        const me = deps.reader();
        const author = { kind: 'reader' as const, name: me.displayName, readerId: me.id };
        const { info, labels } = await saveLabelPatch(deps.compute, {
          caseId,
          kind: 'lesion',
          patch,
          parentId,
          sha256,
          author,
          opts: { note, by: actorOf(me) },
        });
        afterLesionSave(deps, caseId, info, labels);
        return info;
      },
      stageLesionPatch: async (caseId, patch, parentId, sha256) => ({
        savedAt: await stageLabelPatch(deps.compute, deps.dataDir, { caseId, kind: 'lesion', patch, parentId, sha256 }),
      }),
    },
  };
}
