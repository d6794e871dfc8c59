import { fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { startAutosave } from './autosave.ts';
import type { ReviewContext } from './review-context.ts';

/** Starts the lesion autosave of the review screen; `autosaveNote` shows its state (last staged time or the error). */
export function startReviewAutosave(ctx: ReviewContext): { autosave: ReturnType<typeof startAutosave>; autosaveNote: HTMLSpanElement } {
  const { caseId } = ctx;
  const autosaveNote = h('span', { class: 'muted small', 'data-testid': 'autosave-state' });
  const autosave = startAutosave(
    caseId,
    () => ctx.session,
    () => ctx.currentVersion?.id ?? null,
    (savedAt, error) => {
      autosaveNote.textContent = error ? `autosave failed: ${error}` : savedAt ? `autosaved ${fmtTime(savedAt).slice(11)}` : '';
      autosaveNote.classList.toggle('dirty', !!error);
    },
  );
  return { autosave, autosaveNote };
}
