import { z } from 'zod';
import type { CaseId, LabelVersionId } from '../domain/ids.ts';
import { method } from './contract.ts';

// The same schemas as `workstation.ts` (not imported from it: it spreads this contract in).
const CaseIdArg = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);
const LabelVersionIdArg = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as LabelVersionId);
const LabelBytesArg = z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length < 2 ** 31, 'label map size');

/** What the lung autosave slot of a case holds (lung-mask edits of an earlier session not yet saved). */
export type LungAutosaveInfo =
  | { readonly kind: 'none' }
  | { readonly kind: 'recovered'; readonly parentVersionId: LabelVersionId | null; readonly savedAt: string; readonly sha256: string }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Crash safety for lung-mask edits, like `autosave` for lesion edits: its own slot per case
 * (`<data>/lung-edits/autosave/`), so a lesion autosave never replaces unsaved lung edits.
 */
export const lungAutosaveContract = {
  lungAutosave: {
    /** Stores the in-progress lung labels (atomically; replaces the previous lung autosave of the case). */
    stage: method(z.tuple([CaseIdArg, LabelBytesArg, LabelVersionIdArg.nullable()])).returns<{ savedAt: string }>(),
    /** On opening a case: unsaved lung edits of an earlier session? */
    recover: method(z.tuple([CaseIdArg])).returns<LungAutosaveInfo>(),
    /** The recovered lung label bytes (after `recover` said `recovered`). */
    recoveredBytes: method(z.tuple([CaseIdArg])).returns<Uint8Array>(),
    /** The reader saved or discarded the lung edits. */
    discard: method(z.tuple([CaseIdArg])).returns<null>(),
  },
} as const;
