import { interpolateSlices } from '../../../shared/imaging/mask-tools/interpolate.ts';
import { removeIslands } from '../../../shared/imaging/mask-tools/islands.ts';
import { toolSettings } from '../../tools/tool-settings.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { activeSession, type ReviewContext } from './review-context.ts';

/** Undo/redo of the edited label set, and the two whole-mask lesion edits (islands, interpolation). */
export interface EditActions {
  readonly undo: () => void;
  readonly redo: () => void;
  /** Removes lesion islands smaller than the tools' minimum volume, as one undoable step. */
  readonly islands: () => void;
  /** Fills the lesion labels between edited key slices of the active view, as one undoable step. */
  readonly interpolate: () => void;
}

export function createEditActions(ctx: ReviewContext): EditActions {
  const step = (dir: 'undo' | 'redo'): void => {
    const session = activeSession(ctx);
    if (!session.state.get().editable) {
      toast(
        dir === 'undo'
          ? 'A signed version never changes: nothing to undo (use Amend to edit a copy)'
          : 'A signed version never changes: nothing to redo',
      );
      return;
    }
    try {
      if (!(dir === 'undo' ? session.undo() : session.redo())) toast(dir === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
    } catch (e) {
      toast(`${dir === 'undo' ? 'Undo' : 'Redo'} failed: ${errorMessage(e)}`, 'error');
    }
  };
  const lesionEditable = (): boolean => ctx.session.state.get().editable && ctx.labelSet.store.get() !== 'lung';
  return {
    undo: () => step('undo'),
    redo: () => step('redo'),
    islands: () => {
      if (!lesionEditable()) return;
      const ml = toolSettings.get().minIslandMl;
      try {
        const r = removeIslands(ctx.session.labels, { mode: 'remove-small', minVolumeMl: ml });
        const n = r.perClass.reduce((a, c) => a + c.removedComponents, 0);
        ctx.session.commit(`Remove islands < ${ml} mL`, r.patch);
        toast(n ? `Removed ${n} islands (${r.patch.indices.length} voxels)` : `No island smaller than ${ml} mL`);
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
    },
    interpolate: () => {
      if (!lesionEditable()) return;
      const session = ctx.session;
      const view = ctx.viewer.activeView.get();
      const byClass = new Map([...session.keySlices(view)].filter(([, slices]) => slices.length >= 2));
      if (byClass.size === 0) {
        toast(`Fill between slices: edit at least two ${view} slices of a class first (brush or fill), then press G in that view`, 'error');
        return;
      }
      try {
        const s = toolSettings.get();
        const r = interpolateSlices(session.labels, {
          plane: view,
          keySlicesByClass: byClass,
          overwrite: 'only-empty',
          ...(s.insideLungOnly && ctx.lung ? { editableMask: ctx.lung } : {}),
        });
        const counts = [...byClass]
          .map(([label, slices]) => `${slices.length} ${label === 1 ? 'GGO' : label === 2 ? 'high-opacity' : `label ${label}`}`)
          .join(' + ');
        session.commit(`Fill between ${counts} ${view} slices`, r.patch);
        toast(
          r.patch.indices.length
            ? `Interpolated ${r.gaps.length} gaps (${r.patch.indices.length} voxels)`
            : 'Nothing to interpolate between the edited slices',
        );
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
    },
  };
}
