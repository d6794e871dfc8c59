import { ContractError } from '../../../shared/contracts/contract.ts';
import type { LabelPatchRefusal } from '../../../shared/contracts/label-patches.ts';
import type { CaseDetail, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { EditSession } from '../../tools/edit-session.ts';

/** What a save or stage of a session's labels sent and how it ended. */
export interface SentLabels<T> {
  readonly value: T;
  /** `patch`: only the changed blocks crossed; `full`: the whole map. */
  readonly via: 'patch' | 'full';
  /** Why a patch was refused before the full map was sent (null: none was refused). */
  readonly refused: LabelPatchRefusal | null;
}

/** How one save (or autosave stage) of an edit session's labels is sent. */
export interface PatchOrFull<T> {
  readonly session: EditSession;
  /** A patch may be tried (for a save: its parent is the latest version of its kind). */
  readonly patchable: boolean;
  /** A save takes the marks of the changed blocks (edits made while it runs go to the next save; given back if it fails); a stage leaves them. */
  readonly takeMarks: boolean;
  /** Sends the changed blocks with the sha256 (hex) of the full map; a {@link LabelPatchRefusal} makes the full map go instead. */
  readonly patch: (patch: Uint8Array<ArrayBuffer>, sha256: string) => Promise<T>;
  /** Sends the full map. */
  readonly full: (labels: Uint8Array<ArrayBuffer>) => Promise<T>;
}

const REFUSALS: readonly string[] = ['stale-parent', 'patch-mismatch', 'corrupt-patch'] satisfies LabelPatchRefusal[];

/** Sends at most this fraction of the map as a patch; more goes as the full map. */
const MAX_PATCH_FRACTION = 1 / 2;

/** `crypto.subtle` exists only in a secure context (the app's pages are: file:, 127.0.0.1). */
const subtleCrypto = (): SubtleCrypto | undefined => (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;

/** A refusal of a patch call (the caller then sends the full map). */
const refusalOf = (e: unknown): LabelPatchRefusal | null =>
  e instanceof ContractError && e.reason !== undefined && REFUSALS.includes(e.reason) ? (e.reason as LabelPatchRefusal) : null;

const hex = (b: ArrayBuffer): string => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

/** Whether `parent` is the case's latest version of `kind` (as last read): only then may a save be sent as a patch. */
export const isLatestOf = (detail: CaseDetail, kind: LabelKind, parent: LabelVersionInfo | null): boolean =>
  (detail.labelVersions.filter((v) => v.kind === kind).at(-1)?.id ?? null) === (parent?.id ?? null);

/**
 * Sends an edit session's labels (lesions or lung mask, a save or an autosave stage): usually only
 * the blocks changed since they were opened or last saved, with the sha256 of the full map on
 * screen, which the main process checks after rebuilding it (`labelPatches.*`); when a patch may not
 * be tried, too much changed, there is no `crypto.subtle`, or the patch is refused (another save
 * happened, a blinded read, a mismatch), the full map goes. A failure of both throws, with the marks
 * given back: nothing is lost.
 */
export async function sendPatchOrFull<T>(req: PatchOrFull<T>): Promise<SentLabels<T>> {
  const labels = req.session.labels.data as Uint8Array<ArrayBuffer>;
  const blocks = req.session.changedSinceSave;
  const subtle = subtleCrypto();
  const taken = req.takeMarks ? blocks.take() : undefined;
  try {
    let refused: LabelPatchRefusal | null = null;
    if (req.patchable && subtle && (taken ?? blocks).count * blocks.blockVoxels <= labels.length * MAX_PATCH_FRACTION) {
      // patch and digest read the labels in this same task (digest copies them before it returns)
      const patch = blocks.patchOf(labels, taken) as Uint8Array<ArrayBuffer>;
      const digest = subtle.digest('SHA-256', labels);
      try {
        return { value: await req.patch(patch, hex(await digest)), via: 'patch', refused: null };
      } catch (e) {
        refused = refusalOf(e);
        if (!refused) throw e;
      }
    }
    return { value: await req.full(labels), via: 'full', refused };
  } catch (e) {
    if (taken) blocks.restore(taken);
    throw e;
  }
}
