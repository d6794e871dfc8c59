/** `WheelEvent.deltaMode` values (DOM_DELTA_PIXEL, DOM_DELTA_LINE, DOM_DELTA_PAGE). */
export const DELTA_PIXEL = 0;
export const DELTA_LINE = 1;
export const DELTA_PAGE = 2;

/** Wheel travel, in CSS pixels, that moves one slice: one notch of a common mouse wheel. */
export const PIXELS_PER_SLICE = 100;
/** CSS pixels per line for line-mode deltas (Firefox sends 3 lines per notch → 1 slice at 33.3). */
export const PIXELS_PER_LINE = 100 / 3;
/**
 * A single event at least this large (pixels) is a discrete wheel notch: it moves at least one
 * slice even where the platform reports less than {@link PIXELS_PER_SLICE} per notch (53 px on
 * some Linux builds), while trackpads, which send many small deltas, accumulate.
 */
export const NOTCH_MIN_PIXELS = 50;

/** A wheel delta in CSS pixels, whatever the event's `deltaMode` (page = the view's height). */
export function wheelDeltaPixels(deltaY: number, deltaMode: number, pageHeightPx: number): number {
  if (deltaMode === DELTA_LINE) return deltaY * PIXELS_PER_LINE;
  if (deltaMode === DELTA_PAGE) return deltaY * pageHeightPx;
  return deltaY;
}

/**
 * Turns wheel events into slice steps by the wheel's travel, not one slice per event: deltas are
 * accumulated (so a trackpad's many small deltas move smoothly, and a fast spin moves as far
 * as it travelled) and whole slices are taken out of the sum; the remainder is kept for the next
 * event and dropped when the direction reverses.
 */
export class WheelSteps {
  private remainder = 0;

  /** Adds one wheel event; returns the whole slices to move (positive = deltaY > 0). */
  add(deltaY: number, deltaMode: number, pageHeightPx: number): number {
    const px = wheelDeltaPixels(deltaY, deltaMode, pageHeightPx);
    if (!Number.isFinite(px) || px === 0) return 0;
    if (Math.sign(px) !== Math.sign(this.remainder)) this.remainder = 0;
    this.remainder += px;
    let steps = Math.trunc(this.remainder / PIXELS_PER_SLICE);
    if (steps === 0 && Math.abs(px) >= NOTCH_MIN_PIXELS) {
      steps = Math.sign(px);
      this.remainder = 0;
      return steps;
    }
    this.remainder -= steps * PIXELS_PER_SLICE;
    return steps === 0 ? 0 : steps; // never −0
  }

  /** Forgets the partial travel (e.g. when another view becomes active). */
  reset(): void {
    this.remainder = 0;
  }
}
