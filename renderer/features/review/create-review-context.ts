import type { CaseId } from '../../../shared/domain/ids.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import { EditSession } from '../../tools/edit-session.ts';
import { SurfaceView } from '../../viewer/surface-view.ts';
import { createViewerState } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import { createLabelSetSwitch } from './label-set.ts';
import type { ReviewContext } from './review-context.ts';
import type { ReviewData } from './review-data.ts';

/** The review screen's shared state on a loaded case: viewer, lesion and lung edit sessions, 3D surface, burden tally. */
export function createReviewContext(caseId: CaseId, data: ReviewData): ReviewContext {
  const g = data.volume;
  const lung = data.lung;
  const viewer = createViewerState(g.size, WINDOW_PRESETS[0]!.wl);
  // The lung mask is edited in place by its own session (undo/redo of its own), saved as a lung version.
  const lungSession = lung ? new EditSession({ ...g, data: lung }, true) : null;
  const ctx: ReviewContext = {
    caseId,
    volume: g,
    lung,
    lungSession,
    viewer,
    labelSet: createLabelSetSwitch(lungSession !== null),
    surface: new SurfaceView(g, lung, data.lesion),
    detail: data.detail,
    session: new EditSession({ ...g, data: data.lesion }, !data.lesionVersion?.signed),
    tally: new BurdenTally(g, lung, data.lesion),
    currentVersion: data.lesionVersion,
    lungVersion: data.lungVersion,
    amending: false,
  };
  return ctx;
}
