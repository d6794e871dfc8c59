import { randomBytes } from 'node:crypto';
import type { CaseStore } from '../cases/case-store.ts';
import { Deidentifier } from '../../../shared/export/deidentify.ts';

const SALT_KEY = 'export.deidSalt';

/**
 * The workstation's secret de-identification salt (256 random bits, created on first use and
 * kept in the case database's settings, never exported), so pseudonyms, date shifts and UIDs are
 * the same in every export made from this store.
 */
export function deidentifierFor(store: CaseStore): Deidentifier {
  let salt = store.getSetting(SALT_KEY);
  if (!salt) {
    salt = randomBytes(32).toString('hex');
    store.setSetting(SALT_KEY, salt);
  }
  return new Deidentifier({ secretSalt: salt });
}
