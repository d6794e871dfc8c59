import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { READ_SIGNATURE_MEANING, type ReaderView, type SignatureInfo } from '../../../shared/domain/reader.ts';
import { burdenOfPair } from '../analysis/analyze-case.ts';
import { CaseStoreError, type CaseStore } from '../cases/case-store.ts';
import { assertNoUnacknowledgedBlockingQc } from '../qc/qc-store.ts';
import { actorOf, AuthError, type ReaderAccounts } from './reader-accounts.ts';

/** What a sign-off did: the signature, the version signed, and the version it was copied from (if any). */
export interface SignOffOutcome {
  readonly signature: SignatureInfo;
  /** The signed lesion version (the reader's own). */
  readonly version: LabelVersionInfo;
  /**
   * When the reader signed a version someone else made (the AI's, or another reader's), that
   * version: it was first saved unchanged as the reader's own version, and that copy was signed.
   */
  readonly copiedFrom: LabelVersionInfo | null;
}

/** What {@link signOffPreconditions} found: the version asked for and the lung version it will be signed with. */
export interface SignOffPlan {
  readonly version: LabelVersionInfo;
  readonly lung: LabelVersionInfo;
  /** True when the version is not the reader's own (it is copied as theirs before signing). */
  readonly copyFirst: boolean;
}

/**
 * THE one place where sign-off preconditions are checked. Refuses: a case with an unacknowledged
 * blocking scan QC flag, a case without a lung mask (a case with no versions can never be
 * signed), a version of another case or kind, a version already signed, and an inactive account.
 */
export function signOffPreconditions(store: CaseStore, reader: ReaderView, caseId: CaseId, versionId: LabelVersionId): SignOffPlan {
  if (!reader.active) throw new AuthError('inactive', `the account ${reader.login} is deactivated`);
  assertNoUnacknowledgedBlockingQc(store, caseId);
  const version = store.labelVersion(versionId);
  if (version.caseId !== caseId) throw new CaseStoreError('invalid', `version ${versionId} does not belong to case ${caseId}`);
  if (version.kind !== 'lesion') throw new CaseStoreError('invalid', 'a read is signed on a lesion version (with the lung version it was read with)');
  if (version.signed) throw new CaseStoreError('conflict', `lesion version ${version.version} is already signed; a signed version never changes`);
  const lung = store.latestLabelVersion(caseId, 'lung');
  if (!lung) throw new CaseStoreError('invalid', `case ${caseId} has no lung mask yet: run the AI (or the lung mask) before signing`);
  const own = version.author.kind === 'reader' && version.author.readerId === reader.id;
  return { version, lung, copyFirst: !own };
}

/**
 * Signs a lesion version as the reader's read (21 CFR 11.200: both components, login name and
 * password, are checked at every signing). The password check counts towards the lock-out. A
 * version the reader did not make (the raw AI output, another reader's version) is never signed
 * as is: it is first saved unchanged as the reader's own version (parent = that version) and that
 * copy is signed, so a signature always signs the signer's own read. The signature binds the
 * lesion and the case's current lung version by their sha256.
 */
export async function signOff(
  deps: { readonly store: CaseStore; readonly accounts: ReaderAccounts },
  reader: ReaderView,
  caseId: CaseId,
  versionId: LabelVersionId,
  password: string,
): Promise<SignOffOutcome> {
  const { store, accounts } = deps;
  const plan = signOffPreconditions(store, reader, caseId, versionId);
  const me = await accounts.reauthenticate(reader.id, password, `signature of case ${caseId} lesion v${plan.version.version}`);
  // Checked again after the (slow) password check: nothing may have changed in between.
  const again = signOffPreconditions(store, me, caseId, versionId);
  let version = again.version;
  let copiedFrom: LabelVersionInfo | null = null;
  if (again.copyFirst) {
    copiedFrom = version;
    const by = version.author.kind === 'model' ? `the AI (${version.author.name})` : version.author.name;
    version = store.saveLabelVersion(caseId, 'lesion', store.loadLabels(version.id), { kind: 'reader', name: me.displayName, readerId: me.id }, {
      parentId: version.id,
      note: `v${version.version} by ${by} accepted unchanged as ${me.displayName}'s read`,
      by: actorOf(me),
    });
  }
  const signature = store.recordSignature({ caseId, kind: 'read', lesionVersionId: version.id, lungVersionId: again.lung.id, reader: me, meaning: READ_SIGNATURE_MEANING });
  if (!store.burdenOf(caseId, version.id, again.lung.id)) burdenOfPair(store, caseId, version.id, again.lung.id);
  return { signature, version: store.labelVersion(version.id), copiedFrom };
}
