import { createStore } from '../app/store.ts';
import type { OverwriteRule } from '../../shared/imaging/mask-tools/overwrite-rule.ts';

/** The editing tools of the review screen. */
export type ToolId = 'navigate' | 'window' | 'brush' | 'eraser' | 'threshold' | 'fill' | 'islands';

/** Lesion class painted: 1 GGO, 2 high opacity. */
export type PaintClass = 1 | 2;

export interface ToolSettings {
  readonly tool: ToolId;
  readonly paintClass: PaintClass;
  /** Brush / eraser radius in millimetres. */
  readonly radiusMm: number;
  readonly shape: 'circle' | 'sphere';
  /** Which labels the brush may change (Slicer "modify other segments"). */
  readonly overwrite: OverwriteRule;
  /** Threshold brush and fill HU window (inclusive). */
  readonly minHu: number;
  readonly maxHu: number;
  /** Restrict lesion edits to the lung mask (Slicer "editable area: inside lungs"); on by default: only lesion inside the lung counts in the burden. Not applied while the lung mask itself is edited. */
  readonly insideLungOnly: boolean;
  /** Smallest connected lesion kept by "remove small islands" (mL). */
  readonly minIslandMl: number;
}

/** Default HU windows per class for the threshold brush (GGO / high opacity). */
export const CLASS_HU_RANGES: Record<PaintClass, readonly [number, number]> = { 1: [-750, -300], 2: [-300, 100] };

export const toolSettings = createStore<ToolSettings>({
  tool: 'navigate',
  paintClass: 1,
  radiusMm: 5,
  shape: 'circle',
  overwrite: 'overwrite-all',
  minHu: CLASS_HU_RANGES[1][0],
  maxHu: CLASS_HU_RANGES[1][1],
  insideLungOnly: true,
  minIslandMl: 0.1,
});
