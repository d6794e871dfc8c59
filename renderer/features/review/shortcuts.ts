/** One keyboard shortcut as shown in the help panel. */
export interface Shortcut {
  readonly keys: string;
  readonly action: string;
}

/** The review screen's shortcuts (Slicer-like where Slicer has one: z/y, q/w, −/+, arrows). */
export const SHORTCUTS: readonly { group: string; items: readonly Shortcut[] }[] = [
  {
    group: 'Tools',
    items: [
      { keys: 'N / Esc', action: 'Navigate: click moves the crosshair' },
      { keys: 'B', action: 'Brush (paints the selected class)' },
      { keys: 'E', action: 'Eraser' },
      { keys: 'T', action: 'HU-range brush (threshold)' },
      { keys: 'F', action: 'Flood fill within the HU range (2-D, in the view clicked)' },
      { keys: 'L', action: 'Window/level tool' },
      { keys: 'Q / W', action: 'Select GGO / high opacity' },
      { keys: 'M', action: 'Switch the edited labels: lesions / lung mask (Q / W: right / left lung)' },
      { keys: '− / +', action: 'Brush radius −/+ 20 %' },
      { keys: 'S', action: 'Toggle circle / sphere brush' },
      { keys: 'I', action: 'Toggle “inside lungs only”' },
      { keys: 'G', action: 'Fill between the slices edited in the active view' },
    ],
  },
  {
    group: 'Edit',
    items: [
      { keys: 'Ctrl+Z / Z', action: 'Undo' },
      { keys: 'Ctrl+Y / Ctrl+Shift+Z / Y', action: 'Redo' },
      { keys: 'Ctrl+S', action: 'Save a new version' },
    ],
  },
  {
    group: 'View',
    items: [
      { keys: 'Wheel / ↑ ↓ / PgUp PgDn', action: 'Previous / next slice (active view)' },
      { keys: 'Ctrl+Wheel, Ctrl+right drag', action: 'Zoom' },
      { keys: 'Middle drag / Shift+left drag', action: 'Pan' },
      { keys: 'Right drag', action: 'Window/level' },
      { keys: 'Shift+1 / 2 / 3', action: 'Presets: lung W1500/L−600, mediastinum W350/L40, paper W1500/L−400' },
      { keys: 'V', action: 'Show / hide lesion overlays' },
      { keys: 'O', action: 'Show / hide lung outline' },
      { keys: 'R', action: 'Reset zoom and pan' },
      { keys: '?', action: 'This help' },
    ],
  },
];
