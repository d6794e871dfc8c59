import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { offerLungRecovery, startLungAutosave } from './lung-autosave.ts';
import { openLungVersion } from './open-lung-version.ts';
import type { ReviewContext } from './review-context.ts';
import { loadLabels } from './review-data.ts';

/**
 * Lung-mask edits move the burden's denominator: the live burden and the 3D surface follow patch by
 * patch (the outline is drawn from `ctx.lung`), and switching to the lung set shows the outline.
 * Answers the removers (none without a lung mask).
 */
export function bindLungEdits(ctx: ReviewContext, hooks: { willChange(): void; changed(): void; sync(): void }): (() => void)[] {
  const { lungSession, lung, viewer, labelSet, surface } = ctx;
  if (!lungSession || !lung) return [];
  return [
    lungSession.onPatch((patch: EditPatch, dir) => {
      hooks.willChange();
      ctx.tally.applyLungPatch(patch, dir, ctx.session.labels.data);
      surface.applyLungPatch(patch, dir);
      hooks.changed();
    }),
    lungSession.state.subscribe(() => hooks.sync()),
    labelSet.store.subscribe((set) => {
      if (set === 'lung')
        viewer.overlays.update((o) => ({ ...o, lung: { ...o.lung, visible: true, opacity: Math.max(o.lung.opacity, 0.8) } }));
      viewer.labelsRevision.update((n) => n + 1);
      hooks.sync();
    }),
  ];
}

/** Autosave of the lung edits (its own slot) and the offer to restore those of an earlier session; answers the removers. */
export function bindLungAutosave(ctx: ReviewContext, element: HTMLElement, note: HTMLElement): (() => void)[] {
  const { lungSession } = ctx;
  if (!lungSession) return [];
  const lungAutosave = startLungAutosave(ctx.caseId, lungSession, () => ctx.lungVersion?.id ?? null, note);
  void offerLungRecovery(ctx.caseId, element, lungSession, () => ctx.lungVersion);
  return [
    lungSession.onPatch(() => {
      lungAutosave.poke();
    }),
    () => {
      lungAutosave.stop();
    },
  ];
}

/** Opens an older lung version in the lung session (the history panel); false when it was not opened. */
export async function openLungOf(ctx: ReviewContext, v: LabelVersionInfo, signed: boolean): Promise<boolean> {
  if (!ctx.lungSession) return false;
  const ok = await openLungVersion(v, ctx.lungSession, signed, loadLabels).catch(
    (e: unknown) => (toast(`Could not open lung version: ${errorMessage(e)}`, 'error'), false),
  );
  if (ok) ctx.lungVersion = v;
  return ok;
}
