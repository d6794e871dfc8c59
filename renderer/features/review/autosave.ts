import type { LabelVersionId, CaseId } from '../../../shared/domain/ids.ts';
import { PatchBuilder } from '../../../shared/imaging/mask-tools/patch-builder.ts';
import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import { workstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';

/** Quiet time after the last edit before the working labels are staged (ms). */
export const AUTOSAVE_DELAY_MS = 3000;

/**
 * Crash safety for unsaved edits: while the session is dirty, the working labels are staged to
 * the main process (`autosave.stage`) a few seconds after the last edit; a clean session (saved,
 * or undone back to the saved state) discards the stage. Returns the stop function.
 */
export function startAutosave(caseId: CaseId, session: () => EditSession, parent: () => LabelVersionId | null, onStaged: (savedAt: string | null, error: string | null) => void): { poke(): void; stop(): void; flush(): Promise<void> } {
  const api = workstationApi();
  let timer = 0;
  let staged = false;
  let inFlight: Promise<void> = Promise.resolve();
  const run = (): Promise<void> => {
    clearTimeout(timer);
    timer = 0;
    const s = session();
    inFlight = inFlight.then(async () => {
      try {
        if (s.state.get().dirty && s.state.get().editable) {
          const r = await api.autosave.stage(caseId, s.labels.data as Uint8Array<ArrayBuffer>, parent());
          staged = true;
          onStaged(r.savedAt, null);
        } else if (staged) {
          await api.autosave.discard(caseId);
          staged = false;
          onStaged(null, null);
        }
      } catch (e) {
        onStaged(null, e instanceof Error ? e.message : String(e));
      }
    });
    return inFlight;
  };
  return {
    poke() {
      clearTimeout(timer);
      timer = window.setTimeout(() => void run(), AUTOSAVE_DELAY_MS);
    },
    stop() {
      clearTimeout(timer);
    },
    flush: run,
  };
}

/** The patch that turns `from` into `to` (one O(n) pass; used to restore recovered edits as one undo step). */
export function diffPatch(from: Uint8Array, to: Uint8Array): EditPatch {
  const b = new PatchBuilder();
  for (let q = 0; q < from.length; q++) if (from[q] !== to[q]) b.push(q, from[q]!, to[q]!);
  return b.build();
}
