import type { ReviewContext } from './review-context.ts';

/** The live burden panel's refresh: at most once per animation frame, timed from the first change. */
export interface LiveBurden {
  /** Shows the figures of the current tally now. */
  readonly show: () => void;
  /** A label change starts (the timing of `lastMs` starts at the first one). */
  readonly willChange: () => void;
  /** Labels changed: views redraw, the panel follows on the next frame. */
  readonly changed: () => void;
  /** ms from a label change to the panel showing it, last edit (the review probe). */
  readonly lastMs: () => number;
}

export function createLiveBurden(
  ctx: ReviewContext,
  panel: { update(f: ReturnType<ReviewContext['tally']['figures']>): void },
): LiveBurden {
  let frame = 0;
  let changedAt = 0;
  let lastMs = 0;
  const show = (): void => {
    frame = 0;
    panel.update(ctx.tally.figures());
    if (changedAt) lastMs = performance.now() - changedAt;
    changedAt = 0;
  };
  return {
    show,
    willChange: () => {
      if (!changedAt) changedAt = performance.now();
    },
    changed: () => {
      ctx.viewer.labelsRevision.update((n) => n + 1);
      if (!frame) frame = requestAnimationFrame(show);
    },
    lastMs: () => lastMs,
  };
}
