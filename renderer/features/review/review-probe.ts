import { brushPieceMs } from '../../tools/slice-tools.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import type { SliceView } from '../../viewer/slice-view.ts';
import type { SurfaceView } from '../../viewer/surface-view.ts';
import type { LiveBurden } from './live-burden.ts';
import type { ReviewContext } from './review-context.ts';

/** Timings the benchmark and the e2e test read from the page (`window.__lungBurdenReview`). */
export interface ReviewProbe {
  readonly views: readonly SliceView[];
  readonly surface: SurfaceView;
  /** ms from a label change to the burden panel showing it, last edit. */
  readonly lastBurdenMs: number;
  readonly openedMs: number;
  session(): EditSession;
  /** Lung mask (0 outside, 1 right, 2 left) or null. */
  readonly lung: Uint8Array | null;
  /** The lung mask's edit session (null without a lung mask). */
  lungSession(): EditSession | null;
  /** ms per brush piece (label write + overlay/burden/3D bookkeeping), latest 1000. */
  readonly brushPieceMs: readonly number[];
}

/** Publishes the probe of a mounted review screen on `window.__lungBurdenReview` (removed on dispose); `t0`: when loading started. */
export function publishReviewProbe(
  ctx: ReviewContext,
  views: readonly SliceView[],
  live: LiveBurden,
  t0: number,
  disposers: (() => void)[],
): void {
  const { surface, lung, lungSession } = ctx;
  const probe: ReviewProbe = {
    views,
    surface,
    get lastBurdenMs() {
      return live.lastMs();
    },
    openedMs: performance.now() - t0,
    session: () => ctx.session,
    lung,
    lungSession: () => lungSession,
    brushPieceMs,
  };
  (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview = probe;
  disposers.push(() => delete (window as unknown as { __lungBurdenReview?: ReviewProbe }).__lungBurdenReview);
}
