import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import type { EditSession } from '../../tools/edit-session.ts';

/** What the review screen does when the attached session changes. */
export interface SessionHooks {
  /** A patch was applied to (or undone from) the labels of the current session. */
  onPatch(patch: EditPatch, dir: 'forward' | 'backward'): void;
  /** The current session's undo/redo/dirty/editable state changed. */
  onState(): void;
}

/** Follows exactly one edit session at a time. */
export interface SessionBinding {
  /** Follows `s`; the listeners of the session followed before are removed first. */
  attach(s: EditSession): void;
  /** Removes the listeners of the current session. */
  dispose(): void;
}

/**
 * The review screen replaces its lesion session when the reader opens another version, amends or
 * signs one, or restores autosaved edits. The listeners of the replaced session are removed on
 * each attach, so its patches never reach the live burden, the 3D surface or the autosave of the
 * new one, and nothing accumulates over a long reading session.
 */
export function createSessionBinding(hooks: SessionHooks): SessionBinding {
  let detach: (() => void)[] = [];
  const dispose = (): void => {
    for (const d of detach.splice(0)) d();
  };
  return {
    attach(s) {
      dispose();
      detach = [s.onPatch((patch, dir) => hooks.onPatch(patch, dir)), s.state.subscribe(() => hooks.onState())];
    },
    dispose,
  };
}
