import { workstationApi } from '../../app/api.ts';
import { readerStore } from '../../app/reader-identity.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { openAdjudicationView } from '../read-studies/adjudication-view.ts';
import type { ReviewBar } from './review-bar.ts';
import { lungDirty, type ReviewContext } from './review-context.ts';
import { signDialog } from './sign-dialog.ts';
import { saveLesionLabels } from './save-lesion-labels.ts';
import { saveLungLabels } from './save-lung-labels.ts';
import type { VersionSwitching } from './version-switching.ts';

export interface ReviewActionDeps {
  readonly bar: ReviewBar;
  readonly versions: VersionSwitching;
  /** Re-reads the case detail (versions, result) and refreshes history and bar. */
  readonly refreshDetail: () => Promise<void>;
  /** The stored QC follows a saved version's burden. */
  readonly refreshQc: () => void;
  /** Writes (or clears) the autosave slot now. */
  readonly flushAutosave: () => void;
  /** Opens a version (asking first when there are unsaved edits). */
  readonly openVersion: (v: LabelVersionInfo) => void;
}

/** Save (lesions or lung mask), sign off, adjudicate and amend: the review bar's actions. */
export function bindReviewActions(ctx: ReviewContext, deps: ReviewActionDeps): { save(): Promise<void> } {
  const api = workstationApi();
  const { bar } = deps;
  const { caseId } = ctx;

  const saveLung = async (): Promise<void> => {
    if (!ctx.lungSession || !ctx.lung || !lungDirty(ctx)) return;
    bar.saveBtn.disabled = true;
    try {
      // the changed blocks when it can, else the full mask (save-lung-labels.ts)
      const { value: saved } = await saveLungLabels(api, {
        caseId,
        session: ctx.lungSession,
        parent: ctx.lungVersion,
        detail: ctx.detail,
        note: bar.note.value.trim(),
      });
      ctx.lungVersion = saved;
      ctx.lungSession.markSaved();
      bar.note.value = '';
      toast(`Saved lung version ${saved.version}`);
      deps.refreshQc(); // the stored burden and QC follow the new lung version
      await deps.refreshDetail();
    } catch (e) {
      toast(`Save failed: ${errorMessage(e)}`, 'error');
    } finally {
      bar.sync();
    }
  };
  const save = async (): Promise<void> => {
    if (ctx.labelSet.store.get() === 'lung') return saveLung();
    const session = ctx.session;
    const st = session.state.get();
    if (!st.dirty || !st.editable) return;
    bar.saveBtn.disabled = true;
    try {
      // a patch of the changed blocks when it can, else the full map (save-lesion-labels.ts)
      const { version: saved } = await saveLesionLabels(api, {
        caseId,
        session,
        parent: ctx.currentVersion,
        detail: ctx.detail,
        note: bar.note.value.trim(),
      });
      ctx.currentVersion = saved;
      ctx.amending = false;
      session.markSaved();
      bar.note.value = '';
      toast(`Saved version ${saved.version}`);
      deps.flushAutosave();
      deps.refreshQc(); // the stored QC follows the new version's burden (lesion outside the lung)
      await deps.refreshDetail();
    } catch (e) {
      toast(`Save failed: ${errorMessage(e)}`, 'error');
    } finally {
      bar.sync();
    }
  };

  bar.saveBtn.addEventListener('click', () => void save());
  bar.signBtn.addEventListener('click', () => {
    const v = ctx.currentVersion;
    const reader = readerStore.get();
    if (!v || ctx.session.state.get().dirty || ctx.amending) return;
    if (!reader) {
      toast('Sign in first', 'error');
      return;
    }
    bar.signBtn.disabled = true;
    signDialog(caseId, v, reader)
      .then(async (signed) => {
        if (!signed) return;
        // The signed labels are exactly the ones shown (a signature needs a saved, unedited
        // version): a fresh read-only session on them, with no undo history to step back into.
        deps.versions.signed(signed);
        deps.flushAutosave();
        toast(`Signed version ${signed.version} as ${reader.displayName}`);
        await deps.refreshDetail();
      })
      .catch((e: unknown) => {
        toast(`Signing failed: ${errorMessage(e)}`, 'error');
        deps.refreshQc();
      })
      .finally(() => bar.sync());
  });
  bar.adjudicateBtn.addEventListener('click', () => {
    const reader = readerStore.get();
    if (!reader) return;
    openAdjudicationView({ detail: ctx.detail, volume: ctx.volume, lung: ctx.lung, reader })
      .then(async (v) => {
        if (!v) return;
        toast(`Adjudicated: v${v.version} is the case result`);
        await deps.refreshDetail();
        // Show the adjudicated result, not the version that was open before.
        deps.openVersion(ctx.detail.labelVersions.find((x) => x.id === v.id) ?? v);
      })
      .catch((e: unknown) => toast(`Adjudication failed: ${errorMessage(e)}`, 'error'));
  });
  bar.amendBtn.addEventListener('click', () => deps.versions.amend());
  return { save };
}
