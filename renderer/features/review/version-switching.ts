import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { BurdenTally } from '../../../shared/imaging/burden-tally.ts';
import { EditSession } from '../../tools/edit-session.ts';
import { diffPatch } from './autosave.ts';
import type { ReviewContext } from './review-context.ts';
import { loadLabels } from './review-data.ts';

/** What the screen refreshes after the lesion session was replaced. */
export interface VersionSwitchHooks {
  /** Follows the new session (session-binding: the replaced one's listeners go). */
  attach(session: EditSession): void;
  /** The tools panel acts on the new session. */
  syncTools(): void;
  /** Views, 3D and live burden redraw the new labels. */
  redrawLabels(): void;
  /** Buttons, version line and dirty mark follow the new state. */
  syncActions(): void;
  /** The history panel marks `current` as open. */
  showHistory(current: LabelVersionInfo | null): void;
}

/** The four ways the reader replaces the lesion session; each leaves exactly one session attached. */
export interface VersionSwitching {
  /** Opens a saved version (read-only when signed). */
  open(v: LabelVersionInfo): Promise<void>;
  /** Edits a copy of the signed labels; saving makes a new version whose parent is the signed one. */
  amend(): void;
  /** The version shown was signed: a fresh read-only session on the same labels, no undo history. */
  signed(v: LabelVersionInfo): void;
  /** Restores autosaved edits onto their parent version as one undoable step; returns the voxels changed. */
  restore(parent: LabelVersionInfo | null, bytes: Uint8Array): Promise<number>;
}

export function createVersionSwitching(ctx: ReviewContext, hooks: VersionSwitchHooks): VersionSwitching {
  const replace = (labels: Uint8Array, editable: boolean, newLabels: boolean): void => {
    ctx.session = new EditSession({ ...ctx.volume, data: labels }, editable);
    if (newLabels) {
      ctx.tally = new BurdenTally(ctx.volume, ctx.lung, labels);
      ctx.surface.reset(labels);
    }
    hooks.attach(ctx.session);
    hooks.syncTools();
  };
  return {
    open: async (v) => {
      const labels = await loadLabels(v, ctx.session.labels.data.length);
      ctx.currentVersion = v;
      ctx.amending = false;
      replace(labels, !v.signed, true);
      hooks.redrawLabels();
      hooks.syncActions();
      hooks.showHistory(v);
    },
    amend: () => {
      // the signed version's bytes are never touched: the session edits a copy
      ctx.amending = true;
      replace(ctx.session.labels.data.slice(), true, false);
      ctx.viewer.labelsRevision.update((n) => n + 1);
      hooks.syncActions();
    },
    signed: (v) => {
      ctx.currentVersion = v;
      replace(ctx.session.labels.data, false, false);
    },
    restore: async (parent, bytes) => {
      const n = ctx.session.labels.data.length;
      if (bytes.length !== n) throw new Error(`recovered labels have ${bytes.length} voxels, the volume ${n}`);
      const base = parent ? await loadLabels(parent, n) : new Uint8Array(n);
      ctx.currentVersion = parent;
      replace(base, true, true);
      const patch = diffPatch(base, bytes);
      base.set(bytes);
      ctx.session.commit('Recovered unsaved edits', patch);
      hooks.showHistory(ctx.currentVersion);
      hooks.syncActions();
      return patch.indices.length;
    },
  };
}
