import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { removeIslands } from '../../../shared/imaging/mask-tools/islands.ts';
import { interpolateSlices } from '../../../shared/imaging/mask-tools/interpolate.ts';
import { openExportDialog } from '../exports/export-dialog.ts';
import { workstationApi } from '../../app/api.ts';
import { EditSession } from '../../tools/edit-session.ts';
import { brushPieceMs, createSliceTool, type ToolContext } from '../../tools/slice-tools.ts';
import { toolSettings, type ToolId } from '../../tools/tool-settings.ts';
import { fmtDicomDate, fmtTime } from '../../ui/format.ts';
import { h, replaceChildren } from '../../ui/h.ts';
import { dicomText } from '../../ui/dicom-text.ts';
import { showPanel } from '../../ui/modal.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { SliceView, type SliceTool } from '../../viewer/slice-view.ts';
import { SurfaceView } from '../../viewer/surface-view.ts';
import { VIEW_NAMES } from '../../viewer/view-axes.ts';
import { createViewerState, resetCameras } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import { burdenPanel } from './burden-panel.ts';
import { historyPanel } from './history-panel.ts';
import { overlayPanel } from './overlay-panel.ts';
import { loadLabels, loadReviewData, type ReviewData } from './review-data.ts';
import { diffPatch, startAutosave } from './autosave.ts';
import { SHORTCUTS } from './shortcuts.ts';
import { signDialog } from './sign-dialog.ts';
import { openAuditPanel } from './audit-panel.ts';
import { adjudicateDialog, canAdjudicate } from './adjudicate-dialog.ts';
import { readerStore } from '../../app/reader-identity.ts';
import { selectClass, toolsPanel } from './tools-panel.ts';
import { createLabelSetSwitch } from './label-set.ts';
import { createSessionBinding } from './session-binding.ts';
import { qcPanel } from '../qc/qc-panel.ts';
import { reviewPacsButton } from '../pacs/pacs-button.ts';

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

const TOOL_KEYS: Record<string, ToolId> = { n: 'navigate', b: 'brush', e: 'eraser', t: 'threshold', f: 'fill', l: 'window' };

function helpContent(): HTMLElement {
  return h('div', { class: 'help' }, ...SHORTCUTS.map((g) => h('section', {}, h('h3', {}, g.group), h('table', { class: 'kv' }, h('tbody', {}, ...g.items.map((s) => h('tr', {}, h('th', {}, h('kbd', {}, s.keys)), h('td', {}, s.action))))))),
    h('p', { class: 'muted small' }, 'Orientation letters mark the patient sides (radiological convention: patient right on the screen left). The scale bar is in millimetres of the true voxel spacing.'));
}

/** Opens the help panel listing every shortcut. */
export function showHelp(): void {
  showPanel('Keyboard shortcuts', helpContent());
}

/**
 * The review screen of one case: three linked MPR views and a 3D view, the edit tools, live
 * burden, save / sign off and version history. `back` returns to the worklist.
 */
/** "Export…" of the review screen: exports what is saved (unsaved edits are not in it, and the reader is told). */
function exportButton(caseId: CaseId, dirty: () => boolean): HTMLButtonElement {
  return h('button', {
    class: 'btn', 'data-testid': 'export', title: 'Export DICOM SEG, NIfTI, nnU-Net or the report of this case (saved versions)',
    onclick: () => {
      if (dirty()) toast('Unsaved edits are not exported: exports use the saved versions. Save first to include them.', 'error');
      openExportDialog(caseId, `case ${caseId}`);
    },
  }, 'Export…');
}

export function reviewScreen(caseId: CaseId, back: () => void): { element: HTMLElement; dispose(): void } {
  const element = h('section', { class: 'screen review', 'data-testid': 'review' }, h('div', { class: 'loading', 'data-testid': 'review-loading' }, h('div', { class: 'spinner' }), 'Loading case…'));
  const disposers: (() => void)[] = [];
  let disposed = false;
  const t0 = performance.now();
  loadReviewData(caseId)
    .then((data) => {
      if (!disposed) mount(data);
    })
    .catch((e: unknown) => {
      if (disposed) return;
      replaceChildren(element, h('div', { class: 'empty' }, h('p', {}, `Could not open the case: ${errorMessage(e)}`), h('button', { class: 'btn', onclick: back }, 'Back to worklist')));
    });

  function mount(data: ReviewData): void {
    const api = workstationApi();
    const g = data.volume;
    let detail = data.detail;
    let currentVersion: LabelVersionInfo | null = data.lesionVersion;
    const lung = data.lung;
    const viewer = createViewerState(g.size, WINDOW_PRESETS[0]!.wl);
    let session = new EditSession({ ...g, data: data.lesion }, !currentVersion?.signed);
    let tally = new BurdenTally(g, lung, data.lesion);
    // The lung mask is edited in place by its own session (undo/redo of its own), saved as a lung version.
    let lungVersion: LabelVersionInfo | null = data.lungVersion;
    const lungSession = lung ? new EditSession({ ...g, data: lung }, true) : null;
    const labelSet = createLabelSetSwitch(lungSession !== null);
    /** The session the tools, undo/redo and Save act on: the lesion labels or the lung mask. */
    const active = (): EditSession => (labelSet.store.get() === 'lung' && lungSession ? lungSession : session);
    const lungDirty = (): boolean => lungSession?.state.get().dirty ?? false;
    const autosaveNote = h('span', { class: 'muted small', 'data-testid': 'autosave-state' });
    const autosave = startAutosave(caseId, () => session, () => currentVersion?.id ?? null, (savedAt, error) => {
      autosaveNote.textContent = error ? `autosave failed: ${error}` : savedAt ? `autosaved ${fmtTime(savedAt).slice(11)}` : '';
      autosaveNote.classList.toggle('dirty', !!error);
    });
    disposers.push(() => autosave.stop());
    const burden = burdenPanel();
    const qc = qcPanel(caseId);
    let burdenFrame = 0;
    let changedAt = 0;
    let lastBurdenMs = 0;
    const showBurden = (): void => {
      burdenFrame = 0;
      burden.update(tally.figures());
      if (changedAt) lastBurdenMs = performance.now() - changedAt;
      changedAt = 0;
    };
    const surface = new SurfaceView(g, lung, data.lesion);
    disposers.push(() => surface.dispose());

    let tool: SliceTool;
    const ctx: ToolContext = { session: active, volume: g, lung: () => (labelSet.store.get() === 'lung' ? null : lung), viewer };
    const setTool = (id: ToolId): void => {
      tool = createSliceTool(ctx, id);
      element.dataset['tool'] = id;
      for (const v of views) v.element.style.cursor = tool.cursor;
    };
    const views = VIEW_NAMES.map((name) => new SliceView(name, { geometry: g, hu: g.data, lesion: () => session.labels.data, lung: () => lung, lungFill: () => labelSet.store.get() === 'lung' }, viewer, () => tool));
    disposers.push(() => views.forEach((v) => v.dispose()));
    setTool(toolSettings.get().tool);
    disposers.push(toolSettings.subscribe((s) => {
      if (element.dataset['tool'] !== s.tool) setTool(s.tool);
      for (const v of views) v.invalidate();
    }));

    // Editing a copy of a signed version (Amend): saving makes a new version; the signed one stays.
    let amending = false;
    // One session followed at a time: a replaced session's listeners are removed (session-binding.ts).
    const binding = createSessionBinding({
      onPatch: (patch, dir) => {
        if (!changedAt) changedAt = performance.now();
        tally.applyPatch(patch, dir);
        surface.applyPatch(patch, dir);
        viewer.labelsRevision.update((n) => n + 1);
        if (!burdenFrame) burdenFrame = requestAnimationFrame(showBurden);
        autosave.poke();
      },
      onState: () => syncActions(),
    });
    disposers.push(() => binding.dispose());
    const attach = (s: EditSession): void => binding.attach(s);

    // Header: case identity, save, sign off.
    const note = h('input', { class: 'input input-note', type: 'text', placeholder: 'Note for the saved version (optional)', maxlength: 2000, 'aria-label': 'Version note', 'data-testid': 'save-note' });
    const saveBtn = h('button', { class: 'btn btn-primary', 'data-testid': 'save', title: 'Save the labels as a new version (Ctrl+S)' }, 'Save version');
    const signBtn = h('button', { class: 'btn btn-sign', 'data-testid': 'sign-off' }, 'Sign off');
    const adjudicateBtn = h('button', { class: 'btn btn-sign', 'data-testid': 'adjudicate', title: 'Pick the read that becomes the result (or your merged version), with a reason, and sign' }, 'Adjudicate…');
    const amendBtn = h('button', { class: 'btn', 'data-testid': 'amend', title: 'Edit a copy of the signed version; saving creates a new version' }, 'Amend');
    const versionInfo = h('span', { class: 'version-info', 'data-testid': 'version-info' });
    const resultInfo = h('span', { class: 'muted small', 'data-testid': 'result-info' });
    const dirtyMark = h('span', { class: 'dirty', 'data-testid': 'dirty' });
    const title = h('div', { class: 'case-title' },
      h('span', { class: 'strong' }, dicomText(detail.patientName || detail.patientId || 'Case')),
      h('span', { class: 'muted' }, ' ', detail.patientName && detail.patientId !== detail.patientName ? dicomText(detail.patientId) : null, detail.patientName && detail.patientId !== detail.patientName ? ' · ' : null, `${fmtDicomDate(detail.studyDate)} · `, dicomText(detail.seriesDescription || detail.studyDescription), ` · ${g.size.join('×')} · ${g.spacingMm.map((s) => s.toFixed(2)).join('×')} mm`),
    );

    function syncActions(): void {
      const st = session.state.get();
      saveBtn.disabled = labelSet.store.get() === 'lung' ? !lungDirty() : !st.dirty || !st.editable;
      saveBtn.title = labelSet.store.get() === 'lung' ? 'Save the lung mask as a new lung version (Ctrl+S)' : 'Save the labels as a new version (Ctrl+S)';
      const signable = currentVersion !== null && !currentVersion.signed && !st.dirty && !lungDirty() && !amending && lung !== null;
      signBtn.disabled = !signable;
      signBtn.title = currentVersion?.signed ? 'This version is already signed' : st.dirty || amending ? 'Save first: a signature covers a saved version' : lung === null ? 'Run the AI first: a read is signed with its lung mask' : currentVersion ? `Sign version ${currentVersion.version} with your password (it never changes afterwards)` : 'Save a version first';
      amendBtn.hidden = !(currentVersion?.signed && !st.editable);
      // A signed version is never shown as having unsaved edits: it cannot have any.
      dirtyMark.textContent = [st.dirty && st.editable ? '● unsaved edits' : '', lungDirty() ? '● unsaved lung edits' : ''].filter(Boolean).join(' ');
      const sig = currentVersion?.signature ?? null;
      versionInfo.textContent = amending && currentVersion
        ? `new version from v${currentVersion.version} (signed v${currentVersion.version} stays unchanged)`
        : currentVersion
          ? `v${currentVersion.version} · ${currentVersion.author.kind === 'model' ? 'AI' : currentVersion.author.name} · ${fmtTime(currentVersion.createdAt)}${currentVersion.signed ? ` · SIGNED${sig ? ` by ${sig.readerName} (${sig.readerRole}) ${fmtTime(sig.signedAt)}` : ''} · read-only` : st.editable ? '' : ' · read-only'}`
          : 'no saved version';
      if (labelSet.store.get() === 'lung') versionInfo.textContent = lungVersion ? `lung v${lungVersion.version} · ${lungVersion.author.kind === 'reader' ? lungVersion.author.name : 'algorithm'} · ${fmtTime(lungVersion.createdAt)}` : 'no lung version';
      versionInfo.title = sig ? `Signed by ${sig.readerName} (${sig.readerRole}, ${sig.readerLogin}) on ${sig.signedAt}: “${sig.meaning}”. Lesion sha256 ${sig.lesionSha256}; lung sha256 ${sig.lungSha256}.` : '';
      versionInfo.classList.toggle('signed', !!currentVersion?.signed && !amending);
      adjudicateBtn.hidden = !canAdjudicate(detail, readerStore.get()) || st.dirty || detail.result?.signature.kind === 'adjudication';
      const res = detail.result;
      resultInfo.textContent = res ? `Result: v${res.lesionVersion} ${res.signature.kind === 'adjudication' ? 'adjudicated' : 'signed'} by ${res.signature.readerName}` : 'Result: none signed (draft)';
    }

    const history = historyPanel({
      open: (v) => {
        if (session.state.get().dirty && !window.confirm('Discard unsaved edits and open another version?')) return;
        loadLabels(v, session.labels.data.length).then((labels) => {
          currentVersion = v;
          amending = false;
          session = new EditSession({ ...g, data: labels }, !v.signed);
          tally = new BurdenTally(g, lung, labels);
          surface.reset(labels);
          attach(session);
          tools.syncSession();
          viewer.labelsRevision.update((n) => n + 1);
          showBurden();
          syncActions();
          history.update(detail.labelVersions, v.id);
        }).catch((e: unknown) => toast(`Could not open version: ${errorMessage(e)}`, 'error'));
      },
    });

    const refreshDetail = async (): Promise<void> => {
      detail = await api.cases.get(caseId);
      history.update(detail.labelVersions, currentVersion?.id ?? null, detail.result?.signature.lesionVersionId ?? null);
      syncActions();
    };

    const saveLung = async (): Promise<void> => {
      if (!lungSession || !lung || !lungDirty()) return;
      saveBtn.disabled = true;
      try {
        const saved = await api.cases.saveLungLabels(caseId, lung as Uint8Array<ArrayBuffer>, lungVersion?.id ?? null, note.value.trim());
        lungVersion = saved;
        lungSession.markSaved();
        note.value = '';
        toast(`Saved lung version ${saved.version}`);
        void qc.refresh(); // the stored burden and QC follow the new lung version
        await refreshDetail();
      } catch (e) {
        toast(`Save failed: ${errorMessage(e)}`, 'error');
      } finally {
        syncActions();
      }
    };
    const save = async (): Promise<void> => {
      if (labelSet.store.get() === 'lung') return saveLung();
      const st = session.state.get();
      if (!st.dirty || !st.editable) return;
      saveBtn.disabled = true;
      try {
        const saved = await api.cases.saveLesionLabels(caseId, session.labels.data as Uint8Array<ArrayBuffer>, currentVersion?.id ?? null, note.value.trim());
        currentVersion = saved;
        amending = false;
        session.markSaved();
        note.value = '';
        toast(`Saved version ${saved.version}`);
        void autosave.flush();
        void qc.refresh(); // the stored QC follows the new version's burden (lesion outside the lung)
        await refreshDetail();
      } catch (e) {
        toast(`Save failed: ${errorMessage(e)}`, 'error');
      } finally {
        syncActions();
      }
    };
    saveBtn.addEventListener('click', () => void save());
    signBtn.addEventListener('click', () => {
      const v = currentVersion;
      const reader = readerStore.get();
      if (!v || session.state.get().dirty || amending) return;
      if (!reader) {
        toast('Sign in first', 'error');
        return;
      }
      signBtn.disabled = true;
      signDialog(caseId, v, reader).then(async (signed) => {
        if (!signed) return;
        // The signed labels are exactly the ones shown (a signature needs a saved, unedited
        // version): a fresh read-only session on them, with no undo history to step back into.
        currentVersion = signed;
        session = new EditSession({ ...g, data: session.labels.data }, false);
        attach(session);
        tools.syncSession();
        void autosave.flush();
        toast(`Signed version ${signed.version} as ${reader.displayName}`);
        await refreshDetail();
      }).catch((e: unknown) => { toast(`Signing failed: ${errorMessage(e)}`, 'error'); void qc.refresh(); }).finally(syncActions);
    });
    adjudicateBtn.addEventListener('click', () => {
      const reader = readerStore.get();
      if (!reader) return;
      adjudicateDialog(detail, currentVersion, reader).then(async (v) => {
        if (!v) return;
        toast(`Adjudicated: v${v.version} is the case result`);
        await refreshDetail();
      }).catch((e: unknown) => toast(`Adjudication failed: ${errorMessage(e)}`, 'error'));
    });
    amendBtn.addEventListener('click', () => {
      // Edits go to a copy: a new session on a copy of the signed labels (the signed version's
      // bytes are never touched), saved as a new version whose parent is the signed one.
      amending = true;
      session = new EditSession({ ...g, data: session.labels.data.slice() }, true);
      attach(session);
      tools.syncSession();
      viewer.labelsRevision.update((n) => n + 1);
      syncActions();
    });

    const undo = (): void => {
      const session = active();
      if (!session.state.get().editable) {
        toast('A signed version never changes: nothing to undo (use Amend to edit a copy)');
        return;
      }
      try {
        if (!session.undo()) toast('Nothing to undo');
      } catch (e) {
        toast(`Undo failed: ${errorMessage(e)}`, 'error');
      }
    };
    const redo = (): void => {
      const session = active();
      if (!session.state.get().editable) {
        toast('A signed version never changes: nothing to redo');
        return;
      }
      try {
        if (!session.redo()) toast('Nothing to redo');
      } catch (e) {
        toast(`Redo failed: ${errorMessage(e)}`, 'error');
      }
    };
    const islands = (): void => {
      if (!session.state.get().editable || labelSet.store.get() === 'lung') return;
      const ml = toolSettings.get().minIslandMl;
      try {
        const r = removeIslands(session.labels, { mode: 'remove-small', minVolumeMl: ml });
        const n = r.perClass.reduce((a, c) => a + c.removedComponents, 0);
        session.commit(`Remove islands < ${ml} mL`, r.patch);
        toast(n ? `Removed ${n} islands (${r.patch.indices.length} voxels)` : `No island smaller than ${ml} mL`);
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
    };
    const interpolate = (): void => {
      if (!session.state.get().editable || labelSet.store.get() === 'lung') return;
      const view = viewer.activeView.get();
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
          ...(s.insideLungOnly && lung ? { editableMask: lung } : {}),
        });
        const counts = [...byClass].map(([label, slices]) => `${slices.length} ${label === 1 ? 'GGO' : label === 2 ? 'high-opacity' : `label ${label}`}`).join(' + ');
        session.commit(`Fill between ${counts} ${view} slices`, r.patch);
        toast(r.patch.indices.length ? `Interpolated ${r.gaps.length} gaps (${r.patch.indices.length} voxels)` : 'Nothing to interpolate between the edited slices');
      } catch (e) {
        toast(errorMessage(e), 'error');
      }
    };
    const tools = toolsPanel({ session: active, onIslands: islands, onInterpolate: interpolate, onUndo: undo, onRedo: redo, labelSet });
    tools.syncSession();
    if (lungSession && lung) {
      // Lung edits move the denominator: the live burden follows patch by patch; the outline is drawn from `lung`.
      disposers.push(lungSession.onPatch((patch, dir) => {
        if (!changedAt) changedAt = performance.now();
        tally.applyLungPatch(patch, dir, session.labels.data);
        surface.applyLungPatch(patch, dir);
        viewer.labelsRevision.update((n) => n + 1);
        if (!burdenFrame) burdenFrame = requestAnimationFrame(showBurden);
      }));
      disposers.push(lungSession.state.subscribe(syncActions));
      // Editing lungs: the lung outline is shown.
      disposers.push(labelSet.store.subscribe((set) => {
        if (set === 'lung') viewer.overlays.update((o) => ({ ...o, lung: { ...o.lung, visible: true, opacity: Math.max(o.lung.opacity, 0.8) } }));
        viewer.labelsRevision.update((n) => n + 1);
        syncActions();
      }));
    }

    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') || document.querySelector('dialog[open]')) return;
      const k = e.key.toLowerCase();
      const ctrl = e.ctrlKey || e.metaKey;
      const active = views.find((v) => v.name === viewer.activeView.get())!;
      if (ctrl && k === 'z' && !e.shiftKey) undo();
      else if (ctrl && (k === 'y' || (k === 'z' && e.shiftKey))) redo();
      else if (ctrl && k === 's') void save();
      else if (ctrl) return;
      else if (e.shiftKey && /^Digit[1-3]$/.test(e.code)) viewer.window.set(WINDOW_PRESETS[Number(e.code.slice(5)) - 1]!.wl);
      else if (k === 'z') undo();
      else if (k === 'y') redo();
      else if (k === 'escape') toolSettings.update((s) => ({ ...s, tool: 'navigate' }));
      else if (TOOL_KEYS[k]) toolSettings.update((s) => ({ ...s, tool: TOOL_KEYS[k]! }));
      else if (k === 'q') selectClass(1, labelSet.store.get());
      else if (k === 'w') selectClass(2, labelSet.store.get());
      else if (k === '-' || k === '_') toolSettings.update((s) => ({ ...s, radiusMm: Math.max(0.5, Math.round(s.radiusMm / 1.2 * 2) / 2) }));
      else if (k === '+' || k === '=') toolSettings.update((s) => ({ ...s, radiusMm: Math.min(50, Math.round(s.radiusMm * 1.2 * 2) / 2) }));
      else if (k === 's') toolSettings.update((s) => ({ ...s, shape: s.shape === 'circle' ? 'sphere' : 'circle' }));
      else if (k === 'i') toolSettings.update((s) => ({ ...s, insideLungOnly: !s.insideLungOnly }));
      else if (k === 'v') viewer.overlays.update((o) => ({ ...o, ggo: { ...o.ggo, visible: !o.ggo.visible }, highOpacity: { ...o.highOpacity, visible: !o.ggo.visible } }));
      else if (k === 'm' && lungSession) labelSet.store.update((s) => (s === 'lung' ? 'lesion' : 'lung'));
      else if (k === 'o') viewer.overlays.update((o) => ({ ...o, lung: { ...o.lung, visible: !o.lung.visible } }));
      else if (k === 'r') resetCameras(viewer);
      else if (k === 'g') interpolate();
      else if (k === '?') showHelp();
      else if (e.key === 'ArrowUp' || e.key === 'PageUp') active.step(e.key === 'PageUp' ? -10 : -1);
      else if (e.key === 'ArrowDown' || e.key === 'PageDown') active.step(e.key === 'PageDown' ? 10 : 1);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    disposers.push(() => document.removeEventListener('keydown', onKey));
    disposers.push(viewer.overlays.subscribe((o) => surface.setOverlays(o)));
    const beforeUnload = (e: BeforeUnloadEvent): void => {
      if (session.state.get().dirty || lungDirty()) e.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    disposers.push(() => window.removeEventListener('beforeunload', beforeUnload));

    const backBtn = h('button', { class: 'btn btn-ghost', 'data-testid': 'back', title: 'Back to the worklist' }, '← Worklist');
    backBtn.addEventListener('click', () => {
      if ((session.state.get().dirty || lungDirty()) && !window.confirm('Leave with unsaved edits? They will be lost.')) return;
      back();
    });
    const issues = detail.issues.length
      ? h('div', { class: 'issues', title: detail.issues.map((i) => `${i.severity}: ${i.message}`).join('\n') }, `⚠ ${detail.issues.length} import ${detail.issues.length === 1 ? 'issue' : 'issues'}`)
      : null;
    const noLung = lung ? null : h('div', { class: 'banner' }, 'No AI result yet for this case: lesion labels start empty and burden % needs the lung mask. Run AI from the worklist.');

    replaceChildren(
      element,
      h('div', { class: 'review-bar' }, backBtn, title, issues, h('div', { class: 'spacer' }), resultInfo, versionInfo, dirtyMark, autosaveNote, note, saveBtn, signBtn, adjudicateBtn, amendBtn,
        exportButton(caseId, () => session.state.get().dirty),
        h('button', { class: 'btn btn-ghost', 'data-testid': 'open-audit', title: 'Audit trail of this case and verification of the hash chain', onclick: () => openAuditPanel(caseId) }, 'Audit'),
        reviewPacsButton(() => ({ id: caseId, label: `#${caseId} ${detail.patientId} ${detail.seriesDescription}`, signed: detail.labelVersions.some((v) => v.kind === 'lesion' && v.signed) })),
        h('button', { class: 'btn btn-ghost btn-icon', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts', onclick: showHelp }, '?')),
      noLung,
      h('div', { class: 'review-body' },
        h('div', { class: 'viewer-grid', 'data-testid': 'viewer-grid' }, ...views.map((v) => v.element), surface.element),
        h('aside', { class: 'sidebar' }, qc.element, tools.element, burden.element, overlayPanel(viewer), history.element),
      ),
    );
    attach(session);
    syncActions();
    showBurden();
    history.update(detail.labelVersions, currentVersion?.id ?? null, detail.result?.signature.lesionVersionId ?? null);
    surface.setOverlays(viewer.overlays.get());
    const probe: ReviewProbe = { views, surface, get lastBurdenMs() { return lastBurdenMs; }, openedMs: performance.now() - t0, session: () => session, lung, lungSession: () => lungSession, brushPieceMs };
    (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview = probe;
    disposers.push(() => delete (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview);
    element.dataset['ready'] = 'true';
    void offerRecovery();

    /** An earlier session left unsaved edits: offer to restore them as one undoable step. */
    async function offerRecovery(): Promise<void> {
      let info;
      try {
        info = await api.autosave.recover(caseId);
      } catch (e) {
        toast(`Could not check for unsaved edits: ${errorMessage(e)}`, 'error');
        return;
      }
      if (info.kind === 'corrupt') {
        toast(`Unsaved edits of an earlier session could not be read (${info.reason}); they were discarded.`, 'error');
        await api.autosave.discard(caseId).catch(() => undefined);
        return;
      }
      if (info.kind !== 'recovered' || disposed) return;
      const parent = detail.labelVersions.find((v) => v.id === info.parentVersionId) ?? null;
      const restore = h('button', { class: 'btn btn-small btn-primary', 'data-testid': 'restore-autosave' }, 'Restore edits');
      const discard = h('button', { class: 'btn btn-small' }, 'Discard');
      const bar = h('div', { class: 'banner', 'data-testid': 'recovery-banner' }, `Unsaved edits from ${fmtTime(info.savedAt)} (based on ${parent ? `v${parent.version}` : 'empty labels'}) were kept after the last session ended. `, restore, ' ', discard);
      element.insertBefore(bar, element.children[1] ?? null);
      discard.addEventListener('click', () => {
        bar.remove();
        api.autosave.discard(caseId).catch((e: unknown) => toast(errorMessage(e), 'error'));
      });
      restore.addEventListener('click', () => {
        restore.disabled = true;
        (async () => {
          const bytes = await api.autosave.recoveredBytes(caseId);
          const n = session.labels.data.length;
          if (bytes.length !== n) throw new Error(`recovered labels have ${bytes.length} voxels, the volume ${n}`);
          const base = parent ? await loadLabels(parent, n) : new Uint8Array(n);
          currentVersion = parent;
          session = new EditSession({ ...g, data: base }, true);
          tally = new BurdenTally(g, lung, base);
          surface.reset(base);
          attach(session);
          tools.syncSession();
          const patch = diffPatch(base, bytes);
          base.set(bytes);
          session.commit('Recovered unsaved edits', patch);
          history.update(detail.labelVersions, currentVersion?.id ?? null);
          syncActions();
          bar.remove();
          toast(`Restored ${patch.indices.length} edited voxels; save to keep them`);
        })().catch((e: unknown) => {
          restore.disabled = false;
          toast(`Restore failed: ${errorMessage(e)}`, 'error');
        });
      });
    }
  }

  return {
    element,
    dispose() {
      disposed = true;
      for (const d of disposers.splice(0)) d();
    },
  };
}
