import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { EditSession } from '../../tools/edit-session.ts';
import { diffPatch } from './autosave.ts';

/**
 * Opens an older (or the in-use) lung version in the lung edit session, as one undoable step so
 * that the burden and the 3-D view follow it through the usual patch listeners. A lung version
 * bound by a signature (`signed`) opens read-only; any other opens editable, and saving it makes a
 * new lung version from it. Returns false when the reader kept unsaved lung edits instead.
 */
export async function openLungVersion(
  v: LabelVersionInfo,
  lung: EditSession,
  signed: boolean,
  load: (v: LabelVersionInfo, n: number) => Promise<Uint8Array>,
  confirmDiscard: (message: string) => boolean = (m) => window.confirm(m),
): Promise<boolean> {
  if (lung.state.get().dirty && lung.state.get().editable && !confirmDiscard(`Discard unsaved lung edits and open lung v${v.version}?`))
    return false;
  const labels = await load(v, lung.labels.data.length);
  lung.setEditable(true);
  const patch = diffPatch(lung.labels.data, labels);
  lung.labels.data.set(labels);
  lung.commit(`Opened lung v${v.version}`, patch);
  lung.markSaved();
  lung.setEditable(!signed);
  return true;
}
