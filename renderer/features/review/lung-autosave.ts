import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { AutosaveScheduler } from '../../../shared/autosave/autosave-scheduler.ts';
import { workstationApi } from '../../app/api.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import { AUTOSAVE_IDLE_MS, AUTOSAVE_MAX_DELAY_MS, diffPatch } from './autosave.ts';
import { stageLungLabels } from './save-lung-labels.ts';

/**
 * Crash safety for lung-mask edits, as `startAutosave` does for lesion edits (same policy and test
 * seam `window.__lungBurdenAutosave`), into the case's own lung slot (`lungAutosave.*`; the changed
 * blocks through `labelPatches.stageLungPatch` when it can, `stageLungLabels`): staged
 * while the lung session is dirty, discarded once it is clean (saved or undone). `note` shows the state.
 */
export function startLungAutosave(
  caseId: CaseId,
  lung: EditSession,
  parent: () => LabelVersionId | null,
  note: HTMLElement,
): { poke(): void; stop(): void } {
  const api = workstationApi();
  let staged = false;
  const o = (window as unknown as { __lungBurdenAutosave?: { idleMs?: unknown; maxDelayMs?: unknown } }).__lungBurdenAutosave;
  const pick = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  const save = async (): Promise<void> => {
    if (lung.state.get().dirty && lung.state.get().editable) {
      const r = await stageLungLabels(api, caseId, lung, parent()); // the changed blocks when it can
      staged = true;
      note.textContent = `lung autosaved ${fmtTime(r.value.savedAt).slice(11)}`;
    } else if (staged) {
      await api.lungAutosave.discard(caseId);
      staged = false;
      note.textContent = '';
    }
  };
  const scheduler = new AutosaveScheduler(save, {
    idleMs: pick(o?.idleMs, AUTOSAVE_IDLE_MS),
    maxDelayMs: pick(o?.maxDelayMs, AUTOSAVE_MAX_DELAY_MS),
    clock: {
      now: () => performance.now(),
      setTimeout: (fn, ms) => window.setTimeout(fn, ms),
      clearTimeout: (t) => window.clearTimeout(t as number),
    },
    onError: (e) => (note.textContent = `lung autosave failed: ${e instanceof Error ? e.message : String(e)}`),
  });
  const unsubscribe = lung.state.subscribe((s) => {
    if (!s.dirty && staged) void scheduler.flush().catch(() => undefined);
  });
  return {
    poke: () => scheduler.edited(),
    stop: () => {
      unsubscribe();
      scheduler.dispose();
    },
  };
}

/**
 * An earlier session left unsaved lung edits: a banner offers to restore them onto the lung mask
 * as one undoable step (only when they were made on the lung version now in use), or to discard them.
 */
export async function offerLungRecovery(
  caseId: CaseId,
  host: HTMLElement,
  lung: EditSession,
  inUse: () => LabelVersionInfo | null,
): Promise<void> {
  const api = workstationApi();
  let info;
  try {
    info = await api.lungAutosave.recover(caseId);
  } catch (e) {
    toast(`Could not check for unsaved lung edits: ${errorMessage(e)}`, 'error');
    return;
  }
  if (info.kind === 'corrupt') {
    toast(`Unsaved lung edits of an earlier session could not be read (${info.reason}); they were discarded.`, 'error');
    await api.lungAutosave.discard(caseId).catch(() => undefined);
    return;
  }
  if (info.kind !== 'recovered') return;
  const current = inUse();
  const sameBase = (current?.id ?? null) === info.parentVersionId;
  const restore = h(
    'button',
    { class: 'btn btn-small btn-primary', 'data-testid': 'restore-lung-autosave', disabled: !sameBase },
    'Restore lung edits',
  );
  const discard = h('button', { class: 'btn btn-small' }, 'Discard');
  const bar = h(
    'div',
    { class: 'banner', 'data-testid': 'lung-recovery-banner' },
    `Unsaved lung-mask edits from ${fmtTime(info.savedAt)} were kept after the last session ended${sameBase ? '. ' : ` (made on another lung version than lung v${current?.version ?? '?'} now in use: they cannot be restored onto it). `}`,
    restore,
    ' ',
    discard,
  );
  host.insertBefore(bar, host.children[1] ?? null);
  discard.addEventListener('click', () => {
    bar.remove();
    api.lungAutosave.discard(caseId).catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  restore.addEventListener('click', () => {
    restore.disabled = true;
    api.lungAutosave
      .recoveredBytes(caseId)
      .then((bytes) => {
        const labels = lung.labels.data;
        if (bytes.length !== labels.length)
          throw new Error(`recovered lung labels have ${bytes.length} voxels, the volume ${labels.length}`);
        const patch = diffPatch(labels, bytes);
        labels.set(bytes);
        lung.commit('Recovered unsaved lung edits', patch);
        bar.remove();
        toast(`Restored ${patch.indices.length} edited lung voxels; save to keep them`);
      })
      .catch((e: unknown) => {
        restore.disabled = false;
        toast(`Restore failed: ${errorMessage(e)}`, 'error');
      });
  });
}
