import { MaskToolError } from './mask-tool-error.ts';

/**
 * An inclusive Hounsfield-unit range, `minHu ≤ HU ≤ maxHu`. Either end may be ±Infinity (open).
 * Unlike OHIF's −1000..1000 slider, any Int16 HU is allowed, so air (−1024) can be selected.
 */
export interface HuRange {
  readonly minHu: number;
  readonly maxHu: number;
}

/** Throws `invalid-argument` unless the range is ordered and has no NaN. */
export function checkHuRange(range: HuRange): void {
  if (Number.isNaN(range.minHu) || Number.isNaN(range.maxHu) || range.minHu > range.maxHu) {
    throw new MaskToolError('invalid-argument', `HU range must satisfy minHu ≤ maxHu, got [${range.minHu}, ${range.maxHu}]`);
  }
}
