import { h } from '../../ui/h.ts';
import type { OverlaySettings, OverlayStyle, ViewerState } from '../../viewer/viewer-state.ts';
import { WINDOW_PRESETS } from '../../viewer/window-presets.ts';
import { resetCameras } from '../../viewer/viewer-state.ts';

/** Overlay visibility/opacity per class, window presets and view reset. */
export function overlayPanel(viewer: ViewerState): HTMLElement {
  const line = (key: keyof OverlaySettings, name: string, cls: string): HTMLElement => {
    const vis = h('input', { type: 'checkbox', 'aria-label': `Show ${name}`, 'data-testid': `overlay-${key}-visible` });
    const op = h('input', {
      type: 'range',
      min: 0,
      max: 100,
      step: 5,
      'aria-label': `${name} opacity`,
      'data-testid': `overlay-${key}-opacity`,
    });
    const pct = h('span', { class: 'num small muted' });
    const sync = (o: OverlaySettings): void => {
      vis.checked = o[key].visible;
      op.value = String(Math.round(o[key].opacity * 100));
      pct.textContent = `${op.value} %`;
    };
    const set = (patch: Partial<OverlayStyle>): void => viewer.overlays.update((o) => ({ ...o, [key]: { ...o[key], ...patch } }));
    vis.addEventListener('change', () => set({ visible: vis.checked }));
    op.addEventListener('input', () => set({ opacity: Number(op.value) / 100, visible: true }));
    viewer.overlays.subscribe(sync);
    sync(viewer.overlays.get());
    return h('div', { class: 'overlay-line' }, h('label', { class: 'check' }, vis, h('span', { class: `swatch ${cls}` }), name), op, pct);
  };
  const presets = h(
    'div',
    { class: 'btn-row' },
    ...WINDOW_PRESETS.map((p) =>
      h(
        'button',
        {
          class: 'btn btn-small',
          'data-testid': `preset-${p.id}`,
          title: `W${p.wl.widthHu} / L${p.wl.levelHu} (Shift+${p.key})`,
          onclick: () => viewer.window.set(p.wl),
        },
        p.label,
      ),
    ),
    h('button', { class: 'btn btn-small btn-ghost', title: 'Reset zoom and pan (R)', onclick: () => resetCameras(viewer) }, 'Reset view'),
  );
  return h(
    'section',
    { class: 'panel' },
    h('h3', {}, 'Display'),
    line('ggo', 'GGO', 'ggo'),
    line('highOpacity', 'High opacity', 'high'),
    line('lung', 'Lung outline', 'lung'),
    presets,
  );
}
