import type { LabelPatchRefusal } from '../../../shared/contracts/label-patches.ts';
import { UserError } from '../../../shared/errors/user-error.ts';

/**
 * A refused patch save (`labelPatches.saveLesionPatch`): nothing was stored. Codes: see
 * `LabelPatchRefusal`; a stale parent or a sha256 mismatch is a `conflict` (the stored state and the
 * reader's differ), a corrupt patch `invalid`.
 */
export class LabelPatchError extends UserError {
  constructor(
    override readonly code: LabelPatchRefusal,
    message: string,
  ) {
    super(code, code === 'corrupt-patch' ? 'invalid' : 'conflict', message);
    this.name = 'LabelPatchError';
  }
}
