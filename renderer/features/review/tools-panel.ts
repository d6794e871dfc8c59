import { h } from '../../ui/h.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { CLASS_HU_RANGES, toolSettings, type PaintClass, type ToolId, type ToolSettings } from '../../tools/tool-settings.ts';
import type { OverwriteRule } from '../../../shared/imaging/mask-tools/overwrite-rule.ts';
import { CLASS_NAMES, LUNG_HU_RANGE, labelSetButtons, type LabelSet, type LabelSetSwitch } from './label-set.ts';

const TOOLS: readonly { id: ToolId; label: string; key: string; title: string }[] = [
  { id: 'navigate', label: 'Navigate', key: 'N', title: 'Click to move the linked crosshair' },
  { id: 'window', label: 'W/L', key: 'L', title: 'Drag to change window (horizontal) and level (vertical)' },
  { id: 'brush', label: 'Brush', key: 'B', title: 'Paint the selected class' },
  { id: 'eraser', label: 'Eraser', key: 'E', title: 'Erase lesion labels (respects the overwrite rule)' },
  { id: 'threshold', label: 'HU brush', key: 'T', title: 'Paint only voxels inside the HU range' },
  { id: 'fill', label: 'Fill', key: 'F', title: 'Flood fill the connected HU-range region in the clicked slice' },
];

const RULES: readonly { id: OverwriteRule; label: string }[] = [
  { id: 'overwrite-all', label: 'Overwrite any class' },
  { id: 'only-empty', label: 'Only empty voxels' },
  { id: 'only-class-1', label: 'Only GGO voxels' },
  { id: 'only-class-2', label: 'Only high-opacity voxels' },
];

/** Selects the paint class and moves the HU window to that class's default (lung parenchyma for the lung mask). */
export function selectClass(c: PaintClass, set: LabelSet = 'lesion'): void {
  const [minHu, maxHu] = set === 'lung' ? LUNG_HU_RANGE : CLASS_HU_RANGES[c];
  toolSettings.update((s) => ({ ...s, paintClass: c, minHu, maxHu }));
}

/**
 * Tool palette: tool buttons, class selector, radius (mm), circle/sphere, overwrite rule, HU
 * window, "inside lungs only", remove small islands, undo/redo.
 */
export function toolsPanel(opts: { session: () => EditSession; onIslands: () => void; onInterpolate: () => void; onUndo: () => void; onRedo: () => void; labelSet?: LabelSetSwitch }): { element: HTMLElement; syncSession(): void } {
  const toolButtons = TOOLS.map((t) => {
    const b = h('button', { class: 'btn tool', 'data-tool': t.id, 'data-testid': `tool-${t.id}`, title: `${t.title} (${t.key})` }, t.label, h('kbd', {}, t.key));
    b.addEventListener('click', () => toolSettings.update((s) => ({ ...s, tool: t.id })));
    return b;
  });
  const classNames = ([1, 2] as const).map((c) => h('span', {}, c === 1 ? 'GGO' : 'High opacity'));
  const classButtons = ([1, 2] as const).map((c) => {
    const b = h('button', { class: `btn class-btn class-${c}`, 'data-testid': `class-${c === 1 ? 'ggo' : 'high'}`, title: c === 1 ? 'Ground-glass opacity (Q)' : 'High opacity: consolidation + effusion (W)' }, h('span', { class: `swatch ${c === 1 ? 'ggo' : 'high'}` }), classNames[c - 1]);
    b.addEventListener('click', () => selectClass(c, opts.labelSet?.store.get() ?? 'lesion'));
    return b;
  });
  const radius = h('input', { type: 'range', min: 0.5, max: 50, step: 0.5, 'aria-label': 'Brush radius (mm)', 'data-testid': 'brush-radius' });
  const radiusText = h('span', { class: 'num small' });
  radius.addEventListener('input', () => toolSettings.update((s) => ({ ...s, radiusMm: Number(radius.value) })));
  const shape = h('select', { class: 'input input-small', 'aria-label': 'Brush shape' }, h('option', { value: 'circle' }, 'Circle (this slice)'), h('option', { value: 'sphere' }, 'Sphere (3-D)'));
  shape.addEventListener('change', () => toolSettings.update((s) => ({ ...s, shape: shape.value as ToolSettings['shape'] })));
  const rule = h('select', { class: 'input input-small', 'aria-label': 'Overwrite rule', 'data-testid': 'overwrite-rule' }, ...RULES.map((r) => h('option', { value: r.id }, r.label)));
  rule.addEventListener('change', () => toolSettings.update((s) => ({ ...s, overwrite: rule.value as OverwriteRule })));
  const minHu = h('input', { type: 'number', class: 'input input-num', step: 10, 'aria-label': 'Minimum HU' });
  const maxHu = h('input', { type: 'number', class: 'input input-num', step: 10, 'aria-label': 'Maximum HU' });
  const setHu = (): void => {
    const a = Number(minHu.value);
    const b = Number(maxHu.value);
    if (Number.isFinite(a) && Number.isFinite(b) && a <= b) toolSettings.update((s) => ({ ...s, minHu: a, maxHu: b }));
  };
  minHu.addEventListener('change', setHu);
  maxHu.addEventListener('change', setHu);
  const lungOnly = h('input', { type: 'checkbox', 'aria-label': 'Inside lungs only' });
  lungOnly.addEventListener('change', () => toolSettings.update((s) => ({ ...s, insideLungOnly: lungOnly.checked })));
  const islandMl = h('input', { type: 'text', inputmode: 'decimal', class: 'input input-num', 'aria-label': 'Smallest island kept (mL)' });
  islandMl.addEventListener('change', () => toolSettings.update((s) => ({ ...s, minIslandMl: Math.max(0, Number(islandMl.value) || 0) })));
  const islandsBtn = h('button', { class: 'btn btn-small', 'data-testid': 'remove-islands', title: 'Remove lesion components smaller than this volume (both classes, 6-connected)', onclick: opts.onIslands }, 'Remove small islands');
  const interpBtn = h('button', { class: 'btn btn-small', 'data-testid': 'interpolate', title: 'Fill between the slices you edited in the active view, each class between its own edited slices (G)', onclick: opts.onInterpolate }, 'Fill between slices');
  const undo = h('button', { class: 'btn', 'data-testid': 'undo', onclick: opts.onUndo }, '↶ Undo');
  const redo = h('button', { class: 'btn', 'data-testid': 'redo', onclick: opts.onRedo }, '↷ Redo');

  const sync = (s: ToolSettings): void => {
    for (const b of toolButtons) b.classList.toggle('active', b.dataset['tool'] === s.tool);
    classButtons.forEach((b, i) => b.classList.toggle('active', s.paintClass === i + 1));
    radius.value = String(s.radiusMm);
    radiusText.textContent = `${s.radiusMm.toFixed(1)} mm`;
    shape.value = s.shape;
    rule.value = s.overwrite;
    if (document.activeElement !== minHu) minHu.value = String(s.minHu);
    if (document.activeElement !== maxHu) maxHu.value = String(s.maxHu);
    lungOnly.checked = s.insideLungOnly;
    if (document.activeElement !== islandMl) islandMl.value = String(s.minIslandMl);
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
  const islandsRow = h('div', { class: 'field' }, h('label', {}, 'Islands <'), islandMl, h('span', { class: 'muted small' }, 'mL'), islandsBtn);
  const interpRow = h('div', { class: 'btn-row' }, interpBtn);
  opts.labelSet?.store.subscribe((set) => {
    CLASS_NAMES[set].forEach((name, i) => { classNames[i]!.textContent = name; });
    classButtons.forEach((b, i) => {
      const sw = b.querySelector('.swatch');
      if (sw) sw.className = `swatch ${set === 'lung' ? (i === 0 ? 'lung-right' : 'lung-left') : i === 0 ? 'ggo' : 'high'}`;
    });
    classButtons.forEach((b, i) => { b.title = set === 'lung' ? `${CLASS_NAMES.lung[i]!} label (${i === 0 ? 'Q' : 'W'})` : i === 0 ? 'Ground-glass opacity (Q)' : 'High opacity: consolidation + effusion (W)'; });
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
