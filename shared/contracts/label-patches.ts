import { z } from 'zod';
import type { LabelVersionInfo } from '../domain/case.ts';
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
/** Patch bytes (`shared/imaging/label-patch-format.ts`): at least the 8-byte header, at most 2^31 bytes. */
const LabelPatchArg = z.instanceof(Uint8Array).refine((b) => b.length >= 8 && b.length < 2 ** 31, 'label patch size');
/** Lower-case hex sha256 of the FULL label map the reader holds after the patch. */
export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lower-case hex digits');

/**
 * Stable codes (`ContractError.reason`) of a refused patch save; nothing is stored and the reader's
 * labels are untouched, so the renderer saves the full map instead (`cases.saveLesionLabels`,
 * `cases.saveLungLabels` for the lung mask):
 * - `stale-parent`: the version the patch applies to is no longer the latest lesion version of the
 *   case (another save happened), or the case is in an open blinded read;
 * - `patch-mismatch`: the parent with the patch applied does not hash to the sha256 the reader sent;
 * - `corrupt-patch`: the bytes are not a patch, or address voxels outside the case's label map.
 */
export type LabelPatchRefusal = 'stale-parent' | 'patch-mismatch' | 'corrupt-patch';

/**
 * Saves of edited labels as a sparse patch against the version the reader opened or last saved
 * (what the review screen sends instead of the whole map: a brush stroke is kilobytes, a
 * 512×512×128 map 33.5 MB). The main process rebuilds the full map in a worker, checks it against
 * the reader's sha256 and records a version exactly as `cases.saveLesionLabels` would (its sha256
 * is that of the full map, which signatures bind). `cases.saveLesionLabels` stays for full maps
 * (imports, the CLI, and the fallback after a refusal). The autosave of the review screen is sent
 * the same way (`stageLesionPatch`; `autosave.stage` stays for full maps). The lung mask's saves and
 * autosave likewise (`saveLungPatch`, `stageLungPatch`; `cases.saveLungLabels` and
 * `lungAutosave.stage` stay for full maps).
 */
export const labelPatchesContract = {
  labelPatches: {
    /**
     * `(caseId, patch, parentId, sha256, note)`: a new lesion version = `parentId`'s labels (none:
     * all background) with `patch` applied; `sha256` of the resulting full map as the reader holds
     * it. Refused (see {@link LabelPatchRefusal}) unless `parentId` is the case's latest lesion version.
     */
    saveLesionPatch: method(
      z.tuple([CaseIdArg, LabelPatchArg, LabelVersionIdArg.nullable(), Sha256HexSchema, z.string().max(2000)]),
    ).returns<LabelVersionInfo>(),
    /**
     * `(caseId, patch, parentId, sha256)`: the autosave slot of the case (as `autosave.stage` writes
     * it) from `parentId`'s labels with `patch` applied. Refused (`patch-mismatch`, `corrupt-patch`;
     * `stale-parent` in an open blinded read) with the slot untouched: stage the full map then.
     */
    stageLesionPatch: method(z.tuple([CaseIdArg, LabelPatchArg, LabelVersionIdArg.nullable(), Sha256HexSchema])).returns<{
      savedAt: string;
    }>(),
    /**
     * `(caseId, patch, parentId, sha256, note)`: a new lung version = `parentId`'s lung mask (none:
     * all outside) with `patch` applied, stored, audited and followed by the stored burden exactly as
     * `cases.saveLungLabels` of the full map (values other than 0/1/2 refused alike). Refused (see
     * {@link LabelPatchRefusal}) unless `parentId` is the case's latest lung version.
     */
    saveLungPatch: method(
      z.tuple([CaseIdArg, LabelPatchArg, LabelVersionIdArg.nullable(), Sha256HexSchema, z.string().max(2000)]),
    ).returns<LabelVersionInfo>(),
    /**
     * `(caseId, patch, parentId, sha256)`: the lung autosave slot of the case (as `lungAutosave.stage`
     * writes it) from `parentId`'s lung mask with `patch` applied. Refused as `stageLesionPatch` is,
     * with the slot untouched: stage the full mask then.
     */
    stageLungPatch: method(z.tuple([CaseIdArg, LabelPatchArg, LabelVersionIdArg.nullable(), Sha256HexSchema])).returns<{
      savedAt: string;
    }>(),
  },
} as const;
