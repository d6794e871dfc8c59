import { CLASS_HU_RANGES, toolSettings, type PaintClass } from '../../tools/tool-settings.ts';
import { LUNG_HU_RANGE, type LabelSet } from './label-set.ts';

/** Selects the paint class and moves the HU window to that class's default (lung parenchyma for the lung mask). */
export function selectClass(c: PaintClass, set: LabelSet = 'lesion'): void {
  const [minHu, maxHu] = set === 'lung' ? LUNG_HU_RANGE : CLASS_HU_RANGES[c];
  toolSettings.update((s) => ({ ...s, paintClass: c, minHu, maxHu }));
}
