/** A display window in Hounsfield units. */
export interface WindowLevel {
  readonly widthHu: number;
  readonly levelHu: number;
}

/** Named presets: key (shortcut), label, W/L. */
export const WINDOW_PRESETS: readonly { readonly key: string; readonly id: string; readonly label: string; readonly wl: WindowLevel }[] = [
  { key: '1', id: 'lung', label: 'Lung', wl: { widthHu: 1500, levelHu: -600 } },
  { key: '2', id: 'mediastinum', label: 'Mediastinum', wl: { widthHu: 350, levelHu: 40 } },
  { key: '3', id: 'paper', label: 'Paper', wl: { widthHu: 1500, levelHu: -400 } },
];

/**
 * Lookup table Int16 HU → grey 0–255 for a window; index = HU + 32768. Rebuilt only when the
 * window changes (65,536 entries), so drawing a slice is one table read per voxel.
 */
export function greyLut(wl: WindowLevel, out = new Uint8Array(65536)): Uint8Array {
  const lo = wl.levelHu - wl.widthHu / 2;
  const scale = 255 / Math.max(1, wl.widthHu);
  for (let i = 0; i < 65536; i++) {
    const g = (i - 32768 - lo) * scale;
    out[i] = g <= 0 ? 0 : g >= 255 ? 255 : g;
  }
  return out;
}
