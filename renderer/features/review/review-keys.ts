import { toolSettings, type ToolId } from '../../tools/tool-settings.ts';
import type { SliceView } from '../../viewer/slice-view.ts';
import { resetCameras } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import type { ReviewContext } from './review-context.ts';
import { selectClass } from './select-class.ts';

const TOOL_KEYS: Record<string, ToolId> = { n: 'navigate', b: 'brush', e: 'eraser', t: 'threshold', f: 'fill', l: 'window' };

/** What the shortcuts trigger besides tool settings and the viewer. */
export interface ReviewKeyActions {
  undo(): void;
  redo(): void;
  save(): void;
  interpolate(): void;
  help(): void;
}

/**
 * The review screen's keyboard shortcuts (listed in `shortcuts.ts`), on the document while the
 * screen is open; typing in a field or an open dialog is left alone. Returns the remover.
 */
export function bindReviewKeys(ctx: ReviewContext, views: readonly SliceView[], actions: ReviewKeyActions): () => void {
  const { viewer, labelSet } = ctx;
  const onKey = (e: KeyboardEvent): void => {
    const target = e.target as HTMLElement | null;
    if (
      (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) ||
      document.querySelector('dialog[open]')
    )
      return;
    const k = e.key.toLowerCase();
    const ctrl = e.ctrlKey || e.metaKey;
    const active = views.find((v) => v.name === viewer.activeView.get())!;
    if (ctrl && k === 'z' && !e.shiftKey) actions.undo();
    else if (ctrl && (k === 'y' || (k === 'z' && e.shiftKey))) actions.redo();
    else if (ctrl && k === 's') actions.save();
    else if (ctrl) return;
    else if (e.shiftKey && /^Digit[1-3]$/.test(e.code)) viewer.window.set(WINDOW_PRESETS[Number(e.code.slice(5)) - 1]!.wl);
    else if (k === 'z') actions.undo();
    else if (k === 'y') actions.redo();
    else if (k === 'escape') toolSettings.update((s) => ({ ...s, tool: 'navigate' }));
    else if (TOOL_KEYS[k]) toolSettings.update((s) => ({ ...s, tool: TOOL_KEYS[k]! }));
    else if (k === 'q') selectClass(1, labelSet.store.get());
    else if (k === 'w') selectClass(2, labelSet.store.get());
    else if (k === '-' || k === '_')
      toolSettings.update((s) => ({ ...s, radiusMm: Math.max(0.5, Math.round((s.radiusMm / 1.2) * 2) / 2) }));
    else if (k === '+' || k === '=') toolSettings.update((s) => ({ ...s, radiusMm: Math.min(50, Math.round(s.radiusMm * 1.2 * 2) / 2) }));
    else if (k === 's') toolSettings.update((s) => ({ ...s, shape: s.shape === 'circle' ? 'sphere' : 'circle' }));
    else if (k === 'i') toolSettings.update((s) => ({ ...s, insideLungOnly: !s.insideLungOnly }));
    else if (k === 'v')
      viewer.overlays.update((o) => ({
        ...o,
        ggo: { ...o.ggo, visible: !o.ggo.visible },
        highOpacity: { ...o.highOpacity, visible: !o.ggo.visible },
      }));
    else if (k === 'm' && ctx.lungSession) labelSet.store.update((s) => (s === 'lung' ? 'lesion' : 'lung'));
    else if (k === 'o') viewer.overlays.update((o) => ({ ...o, lung: { ...o.lung, visible: !o.lung.visible } }));
    else if (k === 'r') resetCameras(viewer);
    else if (k === 'g') actions.interpolate();
    else if (k === '?') actions.help();
    else if (e.key === 'ArrowUp' || e.key === 'PageUp') active.step(e.key === 'PageUp' ? -10 : -1);
    else if (e.key === 'ArrowDown' || e.key === 'PageDown') active.step(e.key === 'PageDown' ? 10 : 1);
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  return () => document.removeEventListener('keydown', onKey);
}
