import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import type { SurfaceView } from '../../viewer/surface-view.ts';
import type { ViewerState } from '../../viewer/viewer-state.ts';
import type { LabelSetSwitch } from './label-set.ts';

/**
 * The state of one open case on the review screen, shared by its modules (actions, shortcuts,
 * version switching, recovery banner). The fixed parts are read-only; the lesion session, its
 * burden tally, the versions shown and the case detail change as the reader works.
 */
export interface ReviewContext {
  readonly caseId: CaseId;
  /** The CT volume (HU) and its grid. */
  readonly volume: Volume;
  /** Lung mask (0 outside, 1 right, 2 left), edited in place by `lungSession`; null before the AI ran. */
  readonly lung: Uint8Array | null;
  readonly lungSession: EditSession | null;
  readonly labelSet: LabelSetSwitch;
  readonly viewer: ViewerState;
  readonly surface: SurfaceView;
  detail: CaseDetail;
  /** The lesion labels' edit session (replaced when another version is opened, amended, signed or restored). */
  session: EditSession;
  /** Live burden of `session`'s labels and the lung mask. */
  tally: BurdenTally;
  /** The lesion version the session started from (null: empty labels, nothing saved yet). */
  currentVersion: LabelVersionInfo | null;
  lungVersion: LabelVersionInfo | null;
  /** Editing a copy of a signed version: saving makes a new version; the signed one stays. */
  amending: boolean;
}

/** The session the tools, undo/redo and Save act on: the lesion labels or the lung mask. */
export const activeSession = (ctx: ReviewContext): EditSession =>
  ctx.labelSet.store.get() === 'lung' && ctx.lungSession ? ctx.lungSession : ctx.session;

export const lungDirty = (ctx: ReviewContext): boolean => ctx.lungSession?.state.get().dirty ?? false;

/** Unsaved edits of either label set (leaving the screen or the page asks first). */
export const anyDirty = (ctx: ReviewContext): boolean => ctx.session.state.get().dirty || lungDirty(ctx);
