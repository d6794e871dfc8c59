import { h } from '../../ui/h.ts';
import { toolSettings, type ToolSettings } from '../../tools/tool-settings.ts';
import type { OverwriteRule } from '../../../shared/imaging/mask-tools/overwrite-rule.ts';

const RULES: readonly { id: OverwriteRule; label: string }[] = [
  { id: 'overwrite-all', label: 'Overwrite any class' },
  { id: 'only-empty', label: 'Only empty voxels' },
  { id: 'only-class-1', label: 'Only GGO voxels' },
  { id: 'only-class-2', label: 'Only high-opacity voxels' },
];

/**
 * The tool settings' inputs (radius, shape, overwrite rule, HU window, inside lungs only, smallest
 * island): each change updates `toolSettings`; `sync` shows settings (leaving a focused field alone).
 */
export function toolSettingInputs(): {
  radius: HTMLInputElement;
  radiusText: HTMLSpanElement;
  shape: HTMLSelectElement;
  rule: HTMLSelectElement;
  minHu: HTMLInputElement;
  maxHu: HTMLInputElement;
  lungOnly: HTMLInputElement;
  islandMl: HTMLInputElement;
  sync: (s: ToolSettings) => void;
} {
  const radius = h('input', {
    type: 'range',
    min: 0.5,
    max: 50,
    step: 0.5,
    'aria-label': 'Brush radius (mm)',
    'data-testid': 'brush-radius',
  });
  const radiusText = h('span', { class: 'num small' });
  radius.addEventListener('input', () => toolSettings.update((s) => ({ ...s, radiusMm: Number(radius.value) })));
  const shape = h(
    'select',
    { class: 'input input-small', 'aria-label': 'Brush shape' },
    h('option', { value: 'circle' }, 'Circle (this slice)'),
    h('option', { value: 'sphere' }, 'Sphere (3-D)'),
  );
  shape.addEventListener('change', () => toolSettings.update((s) => ({ ...s, shape: shape.value as ToolSettings['shape'] })));
  const rule = h(
    'select',
    { class: 'input input-small', 'aria-label': 'Overwrite rule', 'data-testid': 'overwrite-rule' },
    ...RULES.map((r) => h('option', { value: r.id }, r.label)),
  );
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
  const sync = (s: ToolSettings): void => {
    radius.value = String(s.radiusMm);
    radiusText.textContent = `${s.radiusMm.toFixed(1)} mm`;
    shape.value = s.shape;
    rule.value = s.overwrite;
    if (document.activeElement !== minHu) minHu.value = String(s.minHu);
    if (document.activeElement !== maxHu) maxHu.value = String(s.maxHu);
    lungOnly.checked = s.insideLungOnly;
    if (document.activeElement !== islandMl) islandMl.value = String(s.minIslandMl);
  };
  return { radius, radiusText, shape, rule, minHu, maxHu, lungOnly, islandMl, sync };
}
