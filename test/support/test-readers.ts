import { randomBytes, scryptSync } from 'node:crypto';
import type { ContractApi } from '../../shared/contracts/contract.ts';
import type { WorkstationContract } from '../../shared/contracts/workstation.ts';
import type { LabelVersionId, CaseId } from '../../shared/domain/ids.ts';
import { READ_SIGNATURE_MEANING, type ReaderRole, type ReaderView, type SignatureInfo } from '../../shared/domain/reader.ts';
import type { CaseStore } from '../../electron/services/cases/case-store.ts';
import { acknowledgeQcFlag, caseQc } from '../../electron/services/qc/qc-store.ts';

/** The password of every test account (meets the password rule). */
export const TEST_PASSWORD = 'correct horse battery';

/**
 * A reader account inserted directly (synchronously, cheap scrypt N = 2^10: tests only) for
 * store-level tests; reused when the login exists. Returns its view.
 */
export function testReader(store: CaseStore, displayName: string, role: ReaderRole = 'reader'): ReaderView {
  const login =
    displayName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '') || 'reader';
  const existing = store.db.prepare('SELECT id FROM readers WHERE login = ?').get(login) as { id: number } | undefined;
  if (!existing) {
    const salt = randomBytes(16);
    const key = scryptSync(TEST_PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 });
    const t = new Date().toISOString();
    store.db
      .prepare(
        'INSERT INTO readers (login, display_name, role, password_hash, created_at, created_by, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(login, displayName, role, `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`, t, 'test', t);
  }
  const r = store.db.prepare('SELECT id, login, display_name, role, created_at FROM readers WHERE login = ?').get(login) as {
    id: number;
    login: string;
    display_name: string;
    role: ReaderRole;
    created_at: string;
  };
  return {
    id: r.id,
    login: r.login,
    displayName: r.display_name,
    role: r.role,
    active: true,
    lockedUntil: null,
    failedAttempts: 0,
    createdAt: r.created_at,
  };
}

/** Store-level signature of a lesion version by `displayName` (with the case's latest lung version). */
export function signAs(
  store: CaseStore,
  caseId: CaseId,
  lesionVersionId: LabelVersionId,
  displayName: string,
  role: ReaderRole = 'reader',
): SignatureInfo {
  const lung = store.latestLabelVersion(caseId, 'lung');
  if (!lung) throw new Error(`case ${caseId} has no lung version to sign with`);
  const r = testReader(store, displayName, role);
  return store.recordSignature({
    caseId,
    kind: 'read',
    lesionVersionId,
    lungVersionId: lung.id,
    reader: r,
    meaning: READ_SIGNATURE_MEANING,
  });
}

/** Over the API: creates the first admin (fresh store) or logs in as it. */
export async function signInOverApi(
  api: ContractApi<WorkstationContract>,
  login = 'admin',
  displayName = 'Test Admin',
): Promise<ReaderView> {
  const s = await api.readers.session();
  if (s.needsFirstAdmin) return api.readers.createFirstAdmin(login, displayName, TEST_PASSWORD);
  return api.readers.login(login, TEST_PASSWORD);
}

/**
 * Acknowledges every blocking scan QC flag of a case (store level), as a reader would with a reason:
 * for tests whose small synthetic volumes trip the QC gate (too few slices, coarse spacing) but
 * that are about something else (signatures, retraining).
 */
export function acknowledgeBlockingQc(store: CaseStore, caseId: CaseId, reader = 'Test Reader'): void {
  for (const code of caseQc(store.db, caseId).unacknowledgedBlocking) {
    acknowledgeQcFlag(store.db, caseId, code, reader, 'synthetic test volume: the QC hold is not what this test is about');
  }
}
