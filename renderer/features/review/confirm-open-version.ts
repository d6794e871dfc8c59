import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { errorMessage, toast } from '../../ui/toast.ts';
import type { ReviewContext } from './review-context.ts';
import type { VersionSwitching } from './version-switching.ts';

/** Opens a lesion version after the reader confirms discarding unsaved edits (if any); a failure is a toast. */
export function confirmOpenVersion(ctx: ReviewContext, versions: VersionSwitching): (v: LabelVersionInfo) => void {
  return (v: LabelVersionInfo): void => {
    if (ctx.session.state.get().dirty && !window.confirm('Discard unsaved edits and open another version?')) return;
    versions.open(v).catch((e: unknown) => toast(`Could not open version: ${errorMessage(e)}`, 'error'));
  };
}
