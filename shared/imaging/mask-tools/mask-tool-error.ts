import { UserError } from '../../errors/user-error.ts';

/** Why a mask tool refused its input (see {@link MaskToolError}). */
export type MaskToolErrorCode =
  /** An option, a point or a geometry is out of range or malformed. */
  | 'invalid-argument'
  /** Two arrays that must share the volume grid have different lengths. */
  | 'size-mismatch'
  /** A patch does not match the label map it is applied to (the map changed behind the history). */
  | 'patch-conflict'
  /** Serialised undo history bytes are truncated, corrupt or of an unknown version. */
  | 'corrupt-history';

/**
 * The one error type thrown by `shared/imaging/mask-tools`. Every throw happens before the label
 * map is modified, so a caught error never leaves a half-applied edit behind.
 */
export class MaskToolError extends UserError {
  override readonly name = 'MaskToolError';
  declare readonly code: MaskToolErrorCode;

  constructor(code: MaskToolErrorCode, message: string) {
    super(code, 'refused', message);
  }
}
