import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { errorMessage } from '../../ui/toast.ts';
import { burdenPanel } from './burden-panel.ts';
import { historyPanel } from './history-panel.ts';
import { overlayPanel } from './overlay-panel.ts';
import { loadReviewData, type ReviewData } from './review-data.ts';
import { toolsPanel } from './tools-panel.ts';
import { activeSession } from './review-context.ts';
import { createReviewBar } from './review-bar.ts';
import { createReviewViews } from './review-views.ts';
import { createLiveBurden } from './live-burden.ts';
import { bindLungAutosave, bindLungEdits, openLungOf } from './lung-edits.ts';
import { guardUnload, reviewTop } from './review-layout.ts';
import { bindReviewActions } from './review-actions.ts';
import { createEditActions } from './edit-actions.ts';
import { bindReviewKeys } from './review-keys.ts';
import { createVersionSwitching } from './version-switching.ts';
import { offerRecovery } from './recovery-banner.ts';
import { qcPanel } from '../qc/qc-panel.ts';
import { trialPanel } from '../trial/trial-panel.ts';
import { showHelp } from './review-help.ts';
import { createReviewContext } from './create-review-context.ts';
import { startReviewAutosave } from './start-review-autosave.ts';
import { followSessionPatches } from './follow-session-patches.ts';
import { publishReviewProbe } from './review-probe.ts';
import { confirmOpenVersion } from './confirm-open-version.ts';
import { reviewBody } from './review-body.ts';

/** What the mounted screen needs from its shell. */
interface MountEnv {
  readonly caseId: CaseId;
  readonly back: () => void;
  readonly disposers: (() => void)[];
  readonly disposed: () => boolean;
  /** When the screen started loading (the probe's `openedMs`). */
  readonly t0: number;
}

/**
 * The review screen of one case: three linked MPR views and a 3D view, the edit tools, live
 * burden, save / sign off and version history. `back` returns to the worklist.
 */
export function reviewScreen(caseId: CaseId, back: () => void): { element: HTMLElement; dispose(): void } {
  const element = h(
    'section',
    { class: 'screen review', 'data-testid': 'review' },
    h('div', { class: 'loading', 'data-testid': 'review-loading' }, h('div', { class: 'spinner' }), 'Loading case…'),
  );
  const disposers: (() => void)[] = [];
  let disposed = false;
  const t0 = performance.now();
  loadReviewData(caseId)
    .then((data) => {
      if (!disposed) mountReview(element, data, { caseId, back, disposers, disposed: () => disposed, t0 });
    })
    .catch((e: unknown) => {
      if (disposed) return;
      replaceChildren(
        element,
        h(
          'div',
          { class: 'empty' },
          h('p', {}, `Could not open the case: ${errorMessage(e)}`),
          h('button', { class: 'btn', onclick: back }, 'Back to worklist'),
        ),
      );
    });

  return {
    element,
    dispose() {
      disposed = true;
      for (const d of disposers.splice(0)) d();
    },
  };
}

/** Builds the screen on the loaded case and wires its modules together. */
function mountReview(element: HTMLElement, data: ReviewData, env: MountEnv): void {
  const { caseId, disposers } = env;
  const api = workstationApi();
  const ctx = createReviewContext(caseId, data);
  const { labelSet, surface, viewer } = ctx;
  disposers.push(() => surface.dispose());
  const { autosave, autosaveNote } = startReviewAutosave(ctx);
  disposers.push(() => autosave.stop());
  const burden = burdenPanel();
  const qc = qcPanel(caseId);
  const trial = trialPanel(caseId, ctx.detail.studyDate);
  const live = createLiveBurden(ctx, burden);

  const views = createReviewViews(ctx, element, disposers);

  const bar = createReviewBar(ctx);
  const binding = followSessionPatches(ctx, live, autosave, bar);
  disposers.push(() => binding.dispose());
  const versions = createVersionSwitching(ctx, {
    attach: (s) => binding.attach(s),
    syncTools: () => tools.syncSession(),
    redrawLabels: () => {
      viewer.labelsRevision.update((n) => n + 1);
      live.show();
    },
    syncActions: () => bar.sync(),
    showHistory: (v) => history.update(ctx.detail.labelVersions, v?.id ?? null),
  });
  const openVersion = confirmOpenVersion(ctx, versions);
  const history = historyPanel({
    open: openVersion,
    openLung: (v, signed) => openLungOf(ctx, v, signed),
  });
  const refreshDetail = async (): Promise<void> => {
    ctx.detail = await api.cases.get(caseId);
    history.update(ctx.detail.labelVersions, ctx.currentVersion?.id ?? null, ctx.detail.result?.signature.lesionVersionId ?? null);
    bar.sync();
    void trial.refresh(); // the timeline shows this case's result / latest burden
  };
  const actions = bindReviewActions(ctx, {
    bar,
    versions,
    refreshDetail,
    refreshQc: () => void qc.refresh(),
    flushAutosave: () => void autosave.flush(),
    openVersion,
  });
  const edits = createEditActions(ctx);
  const tools = toolsPanel({
    session: () => activeSession(ctx),
    onIslands: edits.islands,
    onInterpolate: edits.interpolate,
    onUndo: edits.undo,
    onRedo: edits.redo,
    labelSet,
  });
  tools.syncSession();
  disposers.push(...bindLungEdits(ctx, { willChange: live.willChange, changed: live.changed, sync: () => bar.sync() }));
  disposers.push(...bindLungAutosave(ctx, element, autosaveNote));

  disposers.push(
    bindReviewKeys(ctx, views, {
      undo: edits.undo,
      redo: edits.redo,
      save: () => void actions.save(),
      interpolate: edits.interpolate,
      help: showHelp,
    }),
  );
  disposers.push(viewer.overlays.subscribe((o) => surface.setOverlays(o)));
  disposers.push(guardUnload(ctx));

  const detail = ctx.detail;
  const [top, noLung] = reviewTop(ctx, { bar, autosaveNote, back: env.back, help: showHelp });
  const panels = [qc.element, tools.element, burden.element, overlayPanel(viewer), history.element, trial.element];
  replaceChildren(element, top, noLung, reviewBody(views, surface, panels));
  binding.attach(ctx.session);
  bar.sync();
  live.show();
  history.update(detail.labelVersions, ctx.currentVersion?.id ?? null, detail.result?.signature.lesionVersionId ?? null);
  surface.setOverlays(viewer.overlays.get());
  publishReviewProbe(ctx, views, live, env.t0, disposers);
  element.dataset['ready'] = 'true';
  void offerRecovery({
    caseId,
    element,
    versions: () => ctx.detail.labelVersions,
    disposed: env.disposed,
    restore: (parent, bytes) => versions.restore(parent, bytes),
  });
}
