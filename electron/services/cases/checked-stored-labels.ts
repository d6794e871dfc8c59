import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { Db } from './database.ts';
import { storedLabelsOf } from './label-chain.ts';
import type { StoredLabels } from './label-encoding.ts';

/** The stored bytes (full snapshot + patch chain) of a label version: not-found, or conflict when its chain is corrupt. */
export function checkedStoredLabels(db: Db, id: LabelVersionId): StoredLabels {
  let r: StoredLabels | undefined;
  try {
    r = storedLabelsOf(db, id);
  } catch (e) {
    throw new CaseStoreError('conflict', `label version ${id} is corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!r) throw new CaseStoreError('not-found', `label version ${id} does not exist`);
  return r;
}
