import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { workstationApi } from '../../app/api.ts';
import { fmtTime } from '../../ui/format.ts';
import { h } from '../../ui/h.ts';
import { errorMessage, toast } from '../../ui/toast.ts';

export interface RecoveryDeps {
  readonly caseId: CaseId;
  /** The review screen element; the banner goes below its bar. */
  readonly element: HTMLElement;
  readonly versions: () => readonly LabelVersionInfo[];
  readonly disposed: () => boolean;
  /** Replaces the lesion session by `parent` + the recovered labels; answers the voxels changed. */
  readonly restore: (parent: LabelVersionInfo | null, bytes: Uint8Array) => Promise<number>;
}

/**
 * An earlier session left unsaved edits (autosave): offers to restore them as one undoable step
 * on the version they were based on, or to discard them. A corrupt slot is reported and discarded.
 */
export async function offerRecovery(deps: RecoveryDeps): Promise<void> {
  const api = workstationApi();
  const { caseId } = deps;
  let info;
  try {
    info = await api.autosave.recover(caseId);
  } catch (e) {
    toast(`Could not check for unsaved edits: ${errorMessage(e)}`, 'error');
    return;
  }
  if (info.kind === 'corrupt') {
    toast(`Unsaved edits of an earlier session could not be read (${info.reason}); they were discarded.`, 'error');
    await api.autosave.discard(caseId).catch(() => undefined);
    return;
  }
  if (info.kind !== 'recovered' || deps.disposed()) return;
  const parent = deps.versions().find((v) => v.id === info.parentVersionId) ?? null;
  const restore = h('button', { class: 'btn btn-small btn-primary', 'data-testid': 'restore-autosave' }, 'Restore edits');
  const discard = h('button', { class: 'btn btn-small' }, 'Discard');
  const bar = h(
    'div',
    { class: 'banner', 'data-testid': 'recovery-banner' },
    `Unsaved edits from ${fmtTime(info.savedAt)} (based on ${parent ? `v${parent.version}` : 'empty labels'}) were kept after the last session ended. `,
    restore,
    ' ',
    discard,
  );
  deps.element.insertBefore(bar, deps.element.children[1] ?? null);
  discard.addEventListener('click', () => {
    bar.remove();
    api.autosave.discard(caseId).catch((e: unknown) => toast(errorMessage(e), 'error'));
  });
  restore.addEventListener('click', () => {
    restore.disabled = true;
    (async () => {
      const changed = await deps.restore(parent, await api.autosave.recoveredBytes(caseId));
      bar.remove();
      toast(`Restored ${changed} edited voxels; save to keep them`);
    })().catch((e: unknown) => {
      restore.disabled = false;
      toast(`Restore failed: ${errorMessage(e)}`, 'error');
    });
  });
}
