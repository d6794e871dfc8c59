import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { EditSession } from '../../tools/edit-session.ts';
import { brushPieceMs } from '../../tools/slice-tools.ts';
import { fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import type { SliceView } from '../../viewer/slice-view.ts';
import { SurfaceView } from '../../viewer/surface-view.ts';
import { createViewerState } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import { burdenPanel } from './burden-panel.ts';
import { historyPanel } from './history-panel.ts';
import { overlayPanel } from './overlay-panel.ts';
import { loadReviewData, type ReviewData } from './review-data.ts';
import { startAutosave } from './autosave.ts';
import { toolsPanel } from './tools-panel.ts';
import { activeSession, type ReviewContext } from './review-context.ts';
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
import { SHORTCUTS } from './shortcuts.ts';
import { createLabelSetSwitch } from './label-set.ts';
import { createSessionBinding } from './session-binding.ts';
import { qcPanel } from '../qc/qc-panel.ts';
import { trialPanel } from '../trial/trial-panel.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';

/** Timings the benchmark and the e2e test read from the page (`window.__lungBurdenReview`). */
export interface ReviewProbe {
  readonly views: readonly SliceView[];
  readonly surface: SurfaceView;
  /** ms from a label change to the burden panel showing it, last edit. */
  readonly lastBurdenMs: number;
  readonly openedMs: number;
  session(): EditSession;
  /** Lung mask (0 outside, 1 right, 2 left) or null. */
  readonly lung: Uint8Array | null;
  /** The lung mask's edit session (null without a lung mask). */
  lungSession(): EditSession | null;
  /** ms per brush piece (label write + overlay/burden/3D bookkeeping), latest 1000. */
  readonly brushPieceMs: readonly number[];
}

function helpContent(): HTMLElement {
  return h('div', { class: 'help' }, ...SHORTCUTS.map((g) => h('section', {}, h('h3', {}, g.group), h('table', { class: 'kv' }, h('tbody', {}, ...g.items.map((s) => h('tr', {}, h('th', {}, h('kbd', {}, s.keys)), h('td', {}, s.action))))))),
    h('p', { class: 'muted small' }, 'Orientation letters mark the patient sides (radiological convention: patient right on the screen left). The scale bar is in millimetres of the true voxel spacing.'));
}

/** Opens the help panel listing every shortcut. */
export function showHelp(): void {
  showPanel('Keyboard shortcuts', helpContent());
}

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
  const element = h('section', { class: 'screen review', 'data-testid': 'review' }, h('div', { class: 'loading', 'data-testid': 'review-loading' }, h('div', { class: 'spinner' }), 'Loading case…'));
  const disposers: (() => void)[] = [];
  let disposed = false;
  const t0 = performance.now();
  loadReviewData(caseId)
    .then((data) => {
      if (!disposed) mountReview(element, data, { caseId, back, disposers, disposed: () => disposed, t0 });
    })
    .catch((e: unknown) => {
      if (disposed) return;
      replaceChildren(element, h('div', { class: 'empty' }, h('p', {}, `Could not open the case: ${errorMessage(e)}`), h('button', { class: 'btn', onclick: back }, 'Back to worklist')));
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
  const g = data.volume;
  const lung = data.lung;
  const viewer = createViewerState(g.size, WINDOW_PRESETS[0]!.wl);
  // The lung mask is edited in place by its own session (undo/redo of its own), saved as a lung version.
  const lungSession = lung ? new EditSession({ ...g, data: lung }, true) : null;
  const ctx: ReviewContext = {
    caseId, volume: g, lung, lungSession, viewer,
    labelSet: createLabelSetSwitch(lungSession !== null),
    surface: new SurfaceView(g, lung, data.lesion),
    detail: data.detail,
    session: new EditSession({ ...g, data: data.lesion }, !data.lesionVersion?.signed),
    tally: new BurdenTally(g, lung, data.lesion),
    currentVersion: data.lesionVersion,
    lungVersion: data.lungVersion,
    amending: false,
  };
  const { labelSet, surface } = ctx;
  disposers.push(() => surface.dispose());
  const autosaveNote = h('span', { class: 'muted small', 'data-testid': 'autosave-state' });
  const autosave = startAutosave(caseId, () => ctx.session, () => ctx.currentVersion?.id ?? null, (savedAt, error) => {
    autosaveNote.textContent = error ? `autosave failed: ${error}` : savedAt ? `autosaved ${fmtTime(savedAt).slice(11)}` : '';
    autosaveNote.classList.toggle('dirty', !!error);
  });
  disposers.push(() => autosave.stop());
  const burden = burdenPanel();
  const qc = qcPanel(caseId);
  const trial = trialPanel(caseId, ctx.detail.studyDate);
  const live = createLiveBurden(ctx, burden);

  const views = createReviewViews(ctx, element, disposers);

  const bar = createReviewBar(ctx);
  // One session followed at a time: a replaced session's listeners are removed (session-binding.ts).
  const binding = createSessionBinding({
    onPatch: (patch, dir) => {
      live.willChange();
      ctx.tally.applyPatch(patch, dir);
      surface.applyPatch(patch, dir);
      live.changed();
      autosave.poke();
    },
    onState: () => bar.sync(),
  });
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
  const openVersion = (v: LabelVersionInfo): void => {
    if (ctx.session.state.get().dirty && !window.confirm('Discard unsaved edits and open another version?')) return;
    versions.open(v).catch((e: unknown) => toast(`Could not open version: ${errorMessage(e)}`, 'error'));
  };
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
  const actions = bindReviewActions(ctx, { bar, versions, refreshDetail, refreshQc: () => void qc.refresh(), flushAutosave: () => void autosave.flush(), openVersion });
  const edits = createEditActions(ctx);
  const tools = toolsPanel({ session: () => activeSession(ctx), onIslands: edits.islands, onInterpolate: edits.interpolate, onUndo: edits.undo, onRedo: edits.redo, labelSet });
  tools.syncSession();
  disposers.push(...bindLungEdits(ctx, { willChange: live.willChange, changed: live.changed, sync: () => bar.sync() }));
  disposers.push(...bindLungAutosave(ctx, element, autosaveNote));

  disposers.push(bindReviewKeys(ctx, views, { undo: edits.undo, redo: edits.redo, save: () => void actions.save(), interpolate: edits.interpolate, help: showHelp }));
  disposers.push(viewer.overlays.subscribe((o) => surface.setOverlays(o)));
  disposers.push(guardUnload(ctx));

  const detail = ctx.detail;
  const [top, noLung] = reviewTop(ctx, { bar, autosaveNote, back: env.back, help: showHelp });
  replaceChildren(
    element,
    top,
    noLung,
    h('div', { class: 'review-body' },
      h('div', { class: 'viewer-grid', 'data-testid': 'viewer-grid' }, ...views.map((v) => v.element), surface.element),
      h('aside', { class: 'sidebar' }, qc.element, tools.element, burden.element, overlayPanel(viewer), history.element, trial.element),
    ),
  );
  binding.attach(ctx.session);
  bar.sync();
  live.show();
  history.update(detail.labelVersions, ctx.currentVersion?.id ?? null, detail.result?.signature.lesionVersionId ?? null);
  surface.setOverlays(viewer.overlays.get());
  const probe: ReviewProbe = { views, surface, get lastBurdenMs() { return live.lastMs(); }, openedMs: performance.now() - env.t0, session: () => ctx.session, lung, lungSession: () => lungSession, brushPieceMs };
  (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview = probe;
  disposers.push(() => delete (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview);
  element.dataset['ready'] = 'true';
  void offerRecovery({ caseId, element, versions: () => ctx.detail.labelVersions, disposed: env.disposed, restore: (parent, bytes) => versions.restore(parent, bytes) });
}
