import type { LiveBurden } from './live-burden.ts';
import type { ReviewBar } from './review-bar.ts';
import type { ReviewContext } from './review-context.ts';
import { createSessionBinding, type SessionBinding } from './session-binding.ts';

/** Follows the edited session's patches into the live burden, the tally, the 3D surface and the autosave; its state into the bar. */
export function followSessionPatches(ctx: ReviewContext, live: LiveBurden, autosave: { poke(): void }, bar: ReviewBar): SessionBinding {
  const { surface } = ctx;
  // One session followed at a time: a replaced session's listeners are removed (session-binding.ts).
  return createSessionBinding({
    onPatch: (patch, dir) => {
      live.willChange();
      ctx.tally.applyPatch(patch, dir);
      surface.applyPatch(patch, dir);
      live.changed();
      autosave.poke();
    },
    onState: () => bar.sync(),
  });
}
