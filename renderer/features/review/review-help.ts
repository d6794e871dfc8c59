import { h } from '../../ui/h.ts';
import { showPanel } from '../../ui/modal.ts';
import { SHORTCUTS } from './shortcuts.ts';

function helpContent(): HTMLElement {
  return h(
    'div',
    { class: 'help' },
    ...SHORTCUTS.map((g) =>
      h(
        'section',
        {},
        h('h3', {}, g.group),
        h(
          'table',
          { class: 'kv' },
          h('tbody', {}, ...g.items.map((s) => h('tr', {}, h('th', {}, h('kbd', {}, s.keys)), h('td', {}, s.action)))),
        ),
      ),
    ),
    h(
      'p',
      { class: 'muted small' },
      'Orientation letters mark the patient sides (radiological convention: patient right on the screen left). The scale bar is in millimetres of the true voxel spacing.',
    ),
  );
}

/** Opens the help panel listing every shortcut. */
export function showHelp(): void {
  showPanel('Keyboard shortcuts', helpContent());
}
