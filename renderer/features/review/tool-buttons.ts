import { h } from '../../ui/h.ts';
import { toolSettings, type ToolId } from '../../tools/tool-settings.ts';

const TOOLS: readonly { id: ToolId; label: string; key: string; title: string }[] = [
  { id: 'navigate', label: 'Navigate', key: 'N', title: 'Click to move the linked crosshair' },
  { id: 'window', label: 'W/L', key: 'L', title: 'Drag to change window (horizontal) and level (vertical)' },
  { id: 'brush', label: 'Brush', key: 'B', title: 'Paint the selected class' },
  { id: 'eraser', label: 'Eraser', key: 'E', title: 'Erase lesion labels (respects the overwrite rule)' },
  { id: 'threshold', label: 'HU brush', key: 'T', title: 'Paint only voxels inside the HU range' },
  { id: 'fill', label: 'Fill', key: 'F', title: 'Flood fill the connected HU-range region in the clicked slice' },
];

/** One button per tool (with its key); a click selects the tool. */
export function toolButtons(): HTMLButtonElement[] {
  return TOOLS.map((t) => {
    const b = h(
      'button',
      { class: 'btn tool', 'data-tool': t.id, 'data-testid': `tool-${t.id}`, title: `${t.title} (${t.key})` },
      t.label,
      h('kbd', {}, t.key),
    );
    b.addEventListener('click', () => toolSettings.update((s) => ({ ...s, tool: t.id })));
    return b;
  });
}
