import { join } from 'node:path';
import type { ServiceApi } from '../../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../../shared/contracts/workstation.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import { saveLabelPatch, stageLabelPatch, type LabelPatchSave } from '../../services/compute/save-label-patch.ts';
import { actorOf } from '../../services/readers/reader-accounts.ts';
import { afterLesionSave, type AfterLesionSaveDeps } from './after-lesion-save.ts';
import { afterLungSave, checkLungCounts, LUNG_LABEL_RULE, MAX_LUNG_LABEL } from './after-lung-save.ts';
import { LUNG_AUTOSAVE_DIR } from './lung-autosave-api.ts';
import { AutosaveStore } from '../../services/autosave/autosave-store.ts';

export interface LabelPatchesApiDeps extends AfterLesionSaveDeps {
  /** The signed-in reader (throws when nobody is signed in). */
  readonly reader: () => ReaderView;
  /** Folder of the case database; the autosave slots live under it. */
  readonly dataDir: string;
}

/**
 * `labelPatches.*`: the review screen's saves as sparse patches (`shared/contracts/label-patches.ts`).
 * The version stored, its audit entry and what follows (lesion: autosave dropped, stored burden after
 * the reply; lung: the stored burden against the new lung version) are those of
 * `cases.saveLesionLabels` / `cases.saveLungLabels`, the autosave slots those of `autosave.stage` /
 * `lungAutosave.stage`; only what crosses the boundary is smaller.
 */
export function createLabelPatchesApi(deps: LabelPatchesApiDeps): { labelPatches: ServiceApi<WorkstationContract['labelPatches']> } {
  const save = (req: Omit<LabelPatchSave, 'author' | 'opts'>, note: string) => {
    const me = deps.reader();
    const author = { kind: 'reader' as const, name: me.displayName, readerId: me.id };
    return saveLabelPatch(deps.compute, { ...req, author, opts: { note, by: actorOf(me) } });
  };
  // the lung slots are the lesion slots' store on their own folder (as `lungAutosave.stage` writes them)
  const stage = async (req: Parameters<typeof stageLabelPatch>[2]) => ({
    savedAt: await stageLabelPatch(deps.compute, req.kind === 'lung' ? join(deps.dataDir, LUNG_AUTOSAVE_DIR) : deps.dataDir, req),
  });
  const lungAutosave = new AutosaveStore(join(deps.dataDir, LUNG_AUTOSAVE_DIR));
  return {
    labelPatches: {
      saveLesionPatch: async (caseId, patch, parentId, sha256, note) => {
        const { info, labels } = await save({ caseId, kind: 'lesion', patch, parentId, sha256 }, note);
        afterLesionSave(deps, caseId, info, labels);
        return info;
      },
      stageLesionPatch: async (caseId, patch, parentId, sha256) => stage({ caseId, kind: 'lesion', patch, parentId, sha256 }),
      saveLungPatch: async (caseId, patch, parentId, sha256, note) => {
        const { info } = await save({ caseId, kind: 'lung', patch, parentId, sha256, check: checkLungCounts }, note);
        afterLungSave({ ...deps, lungAutosave, background: (what, task) => deps.background.run(what, task) }, caseId, info);
        return info;
      },
      stageLungPatch: async (caseId, patch, parentId, sha256) =>
        stage({ caseId, kind: 'lung', patch, parentId, sha256, maxLabel: { value: MAX_LUNG_LABEL, rule: LUNG_LABEL_RULE } }),
    },
  };
}
