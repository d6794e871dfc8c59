import type { LabelVersionId, CaseId } from '../../../shared/domain/ids.ts';
import { PatchBuilder } from '../../../shared/imaging/mask-tools/patch-builder.ts';
import type { EditPatch } from '../../../shared/imaging/mask-tools/edit-patch.ts';
import { AutosaveScheduler } from '../../../shared/autosave/autosave-scheduler.ts';
import { workstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { stageLesionLabels } from './save-lesion-labels.ts';

/** Quiet time after the last edit before the working labels are staged (ms). */
export const AUTOSAVE_IDLE_MS = 3000;
/** Longest time edits stay unstaged while the reader keeps editing without pause (ms). */
export const AUTOSAVE_MAX_DELAY_MS = 30_000;

/**
 * Test seam: an e2e test may shorten the delays with `page.addInitScript` setting
 * `window.__lungBurdenAutosave = { idleMs, maxDelayMs }` before the app loads.
 */
function delays(): { idleMs: number; maxDelayMs: number } {
  const o = (window as unknown as { __lungBurdenAutosave?: { idleMs?: unknown; maxDelayMs?: unknown } }).__lungBurdenAutosave;
  const pick = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return { idleMs: pick(o?.idleMs, AUTOSAVE_IDLE_MS), maxDelayMs: pick(o?.maxDelayMs, AUTOSAVE_MAX_DELAY_MS) };
}

/**
 * Crash safety for unsaved edits: while the session is dirty, the working labels are staged to
 * the main process (`stageLesionLabels`: a patch of the changed blocks, else the full map) when the shared autosave policy says so (`AutosaveScheduler`:
 * {@link AUTOSAVE_IDLE_MS} after the last edit, and at least every {@link AUTOSAVE_MAX_DELAY_MS}
 * while the reader edits without pause); a clean session (saved, or undone back to the saved state)
 * discards the stage. `poke` after every edit; `flush` stages (or discards) now.
 */
export function startAutosave(
  caseId: CaseId,
  session: () => EditSession,
  parent: () => LabelVersionId | null,
  onStaged: (savedAt: string | null, error: string | null) => void,
): { poke(): void; stop(): void; flush(): Promise<void> } {
  const api = workstationApi();
  let staged = false;
  const save = async (): Promise<void> => {
    const s = session();
    if (s.state.get().dirty && s.state.get().editable) {
      const r = await stageLesionLabels(api, caseId, s, parent()); // the changed blocks when it can
      staged = true;
      onStaged(r.savedAt, null);
    } else if (staged) {
      await api.autosave.discard(caseId);
      staged = false;
      onStaged(null, null);
    }
  };
  const scheduler = new AutosaveScheduler(save, {
    ...delays(),
    clock: {
      now: () => performance.now(),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (h) => window.clearTimeout(h as number),
    },
    onError: (e) => onStaged(null, e instanceof Error ? e.message : String(e)),
  });
  return {
    poke: () => scheduler.edited(),
    stop: () => scheduler.dispose(),
    flush: () => scheduler.flush().catch(() => undefined),
  };
}

/** The patch that turns `from` into `to` (one O(n) pass; used to restore recovered edits as one undo step). */
export function diffPatch(from: Uint8Array, to: Uint8Array): EditPatch {
  const b = new PatchBuilder();
  for (let q = 0; q < from.length; q++) if (from[q] !== to[q]) b.push(q, from[q]!, to[q]!);
  return b.build();
}
