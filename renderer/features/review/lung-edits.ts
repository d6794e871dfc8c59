import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import type { ReviewContext } from './review-context.ts';

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
      if (set === 'lung') viewer.overlays.update((o) => ({ ...o, lung: { ...o.lung, visible: true, opacity: Math.max(o.lung.opacity, 0.8) } }));
      viewer.labelsRevision.update((n) => n + 1);
      hooks.sync();
    }),
  ];
}
