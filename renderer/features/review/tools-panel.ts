import { h } from '../../ui/h.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { toolSettings, type ToolSettings } from '../../tools/tool-settings.ts';
import { labelSetButtons, type LabelSetSwitch } from './label-set.ts';
import { selectClass } from './select-class.ts';
import { toolButtons as createToolButtons } from './tool-buttons.ts';
import { classButtons as createClassButtons, relabelClassButtons } from './class-buttons.ts';
import { toolSettingInputs } from './tool-setting-inputs.ts';

/**
 * Tool palette: tool buttons, class selector, radius (mm), circle/sphere, overwrite rule, HU
 * window, "inside lungs only", remove small islands, undo/redo.
 */
export function toolsPanel(opts: {
  session: () => EditSession;
  onIslands: () => void;
  onInterpolate: () => void;
  onUndo: () => void;
  onRedo: () => void;
  labelSet?: LabelSetSwitch;
}): { element: HTMLElement; syncSession(): void } {
  const toolButtons = createToolButtons();
  const { classNames, classButtons } = createClassButtons(opts.labelSet);
  const { radius, radiusText, shape, rule, minHu, maxHu, lungOnly, islandMl, sync: syncInputs } = toolSettingInputs();
  const islandsBtn = h(
    'button',
    {
      class: 'btn btn-small',
      'data-testid': 'remove-islands',
      title: 'Remove lesion components smaller than this volume (both classes, 6-connected)',
      onclick: opts.onIslands,
    },
    'Remove small islands',
  );
  const interpBtn = h(
    'button',
    {
      class: 'btn btn-small',
      'data-testid': 'interpolate',
      title: 'Fill between the slices you edited in the active view, each class between its own edited slices (G)',
      onclick: opts.onInterpolate,
    },
    'Fill between slices',
  );
  const undo = h('button', { class: 'btn', 'data-testid': 'undo', onclick: opts.onUndo }, '↶ Undo');
  const redo = h('button', { class: 'btn', 'data-testid': 'redo', onclick: opts.onRedo }, '↷ Redo');

  const sync = (s: ToolSettings): void => {
    for (const b of toolButtons) b.classList.toggle('active', b.dataset['tool'] === s.tool);
    classButtons.forEach((b, i) => b.classList.toggle('active', s.paintClass === i + 1));
    syncInputs(s);
  };
  toolSettings.subscribe(sync);
  sync(toolSettings.get());

  let unsub: (() => void) | null = null;
  const syncSession = (): void => {
    unsub?.();
    const session = opts.session();
    unsub = session.state.subscribe((st) => {
      undo.disabled = !st.canUndo;
      redo.disabled = !st.canRedo;
      undo.title = st.undoLabel ? `Undo ${st.undoLabel} (Ctrl+Z)` : 'Nothing to undo';
      redo.title = st.redoLabel ? `Redo ${st.redoLabel} (Ctrl+Y)` : 'Nothing to redo';
      islandsBtn.disabled = interpBtn.disabled = !st.editable;
    });
    const st = session.state.get();
    undo.disabled = !st.canUndo;
    redo.disabled = !st.canRedo;
    islandsBtn.disabled = interpBtn.disabled = !st.editable;
  };

  // Lesions / Lungs: the paint classes are renamed (1 right, 2 left lung) and the lesion-only tools hidden.
  const lungOnlyRow = h('label', { class: 'check' }, lungOnly, 'Inside lungs only');
  const islandsRow = h(
    'div',
    { class: 'field' },
    h('label', {}, 'Islands <'),
    islandMl,
    h('span', { class: 'muted small' }, 'mL'),
    islandsBtn,
  );
  const interpRow = h('div', { class: 'btn-row' }, interpBtn);
  opts.labelSet?.store.subscribe((set) => {
    relabelClassButtons(set, classNames, classButtons);
    lungOnlyRow.hidden = islandsRow.hidden = interpRow.hidden = set === 'lung';
    selectClass(toolSettings.get().paintClass, set);
    syncSession();
  });

  const element = h(
    'section',
    { class: 'panel tools-panel', 'data-testid': 'tools-panel' },
    h('h3', {}, 'Edit'),
    opts.labelSet ? labelSetButtons(opts.labelSet) : null,
    h('div', { class: 'tool-grid' }, ...toolButtons),
    h('div', { class: 'btn-row class-row' }, ...classButtons),
    h('div', { class: 'field' }, h('label', {}, 'Radius'), radius, radiusText),
    h('div', { class: 'field' }, h('label', {}, 'Shape'), shape),
    h('div', { class: 'field' }, h('label', {}, 'Paint over'), rule),
    h('div', { class: 'field' }, h('label', {}, 'HU range'), minHu, h('span', { class: 'muted' }, '…'), maxHu),
    lungOnlyRow,
    islandsRow,
    interpRow,
    h('div', { class: 'btn-row' }, undo, redo),
  );
  return { element, syncSession };
}
