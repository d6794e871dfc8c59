import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { ADJUDICATION_MEANING, READ_SIGNATURE_MEANING, type ReaderView, type SignatureInfo } from '../../../shared/domain/reader.ts';
import { CaseStoreError, type CaseStore } from '../cases/case-store.ts';
import { assertNoUnacknowledgedBlockingQc } from '../qc/qc-store.ts';
import { actorOf, AuthError, type ReaderAccounts } from './reader-accounts.ts';
import type { CaseCompute } from '../compute/case-compute.ts';
import { ensurePairBurden, recordVerifiedSignature } from './signature-work.ts';

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
 * The lung version a read is signed with: the newest one the reader made or the algorithm made,
 * never another reader's edited lung (under a blinded double read it is not even visible to them).
 */
function lungVersionReadBy(store: CaseStore, caseId: CaseId, reader: ReaderView): LabelVersionInfo | null {
  const lungs = store.listLabelVersions(caseId, 'lung');
  const visible = lungs.filter((v) => v.author.kind !== 'reader' || v.author.readerId === reader.id);
  return visible.reduce<LabelVersionInfo | null>((a, v) => (a === null || v.version > a.version ? v : a), null);
}

/**
 * THE one place where sign-off preconditions are checked. Refuses: a case with an unacknowledged
 * blocking scan QC flag, a case without a lung mask (a case with no versions can never be
 * signed), a version of another case or kind, a version already signed, and an inactive account.
 */
export function signOffPreconditions(store: CaseStore, reader: ReaderView, caseId: CaseId, versionId: LabelVersionId): SignOffPlan {
  if (!reader.active) throw new AuthError('inactive', `the account ${reader.login} is deactivated`);
  const version = store.labelVersion(versionId);
  if (version.caseId !== caseId) throw new CaseStoreError('invalid', `version ${versionId} does not belong to case ${caseId}`);
  if (version.kind !== 'lesion')
    throw new CaseStoreError('invalid', 'a read is signed on a lesion version (with the lung version it was read with)');
  if (version.signed)
    throw new CaseStoreError('conflict', `lesion version ${version.version} is already signed; a signed version never changes`);
  const lung = lungVersionReadBy(store, caseId, reader);
  if (!lung) throw new CaseStoreError('invalid', `case ${caseId} has no lung mask yet: run the AI (or the lung mask) before signing`);
  assertNoUnacknowledgedBlockingQc(store, caseId);
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
  deps: { readonly store: CaseStore; readonly accounts: ReaderAccounts; readonly compute?: CaseCompute },
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
    version = store.copyLabelVersion(
      version.id,
      { kind: 'reader', name: me.displayName, readerId: me.id },
      {
        parentId: version.id,
        note: `v${version.version} by ${by} accepted unchanged as ${me.displayName}'s read`,
        by: actorOf(me),
      },
    );
  }
  const signature = await recordVerifiedSignature(deps, {
    caseId,
    kind: 'read',
    lesionVersionId: version.id,
    lungVersionId: again.lung.id,
    reader: me,
    meaning: READ_SIGNATURE_MEANING,
  });
  await ensurePairBurden(deps, caseId, version.id, again.lung.id);
  return { signature, version: store.labelVersion(version.id), copiedFrom };
}

/** The meaning an adjudication signature states (`shared/domain/reader.ts`). */
export { ADJUDICATION_MEANING };

/**
 * The adjudicator's signature: resolves a case read (and signed) by at least two different readers
 * by signing one version — one of the reads as picked, or a merged version the adjudicator saved —
 * with a reason. Same rules as a read signature (password, own copy of others' versions); only an
 * adjudicator (or admin) may, never one of the case's own readers. The adjudication becomes the
 * case's result (it outranks reads).
 */
export async function adjudicate(
  deps: { readonly store: CaseStore; readonly accounts: ReaderAccounts; readonly compute?: CaseCompute },
  reader: ReaderView,
  caseId: CaseId,
  versionId: LabelVersionId,
  password: string,
  reason: string,
): Promise<SignOffOutcome> {
  const { store, accounts } = deps;
  if (reader.role !== 'adjudicator' && reader.role !== 'admin') throw new AuthError('forbidden', 'only an adjudicator can adjudicate');
  if (!reason.trim()) throw new CaseStoreError('invalid', 'an adjudication states its reason');
  const reads = store.signatures(caseId).filter((g) => g.kind === 'read');
  const readers = new Set(reads.map((g) => g.readerId));
  if (readers.size < 2)
    throw new CaseStoreError('invalid', `case ${caseId} has signed reads by ${readers.size} reader(s): adjudication needs two`);
  if (readers.has(reader.id)) throw new AuthError('forbidden', 'a reader of this case cannot adjudicate it');
  const version = store.labelVersion(versionId);
  if (version.caseId !== caseId || version.kind !== 'lesion')
    throw new CaseStoreError('invalid', `version ${versionId} is not a lesion version of case ${caseId}`);
  const lung = store.latestLabelVersion(caseId, 'lung');
  if (!lung) throw new CaseStoreError('invalid', `case ${caseId} has no lung mask`);
  const me = await accounts.reauthenticate(reader.id, password, `adjudication of case ${caseId}`);
  let own = version;
  let copiedFrom: LabelVersionInfo | null = null;
  // A picked read is signed already: the adjudicator signs an unchanged copy of it as their own.
  if (!(version.author.kind === 'reader' && version.author.readerId === me.id && !version.signed)) {
    copiedFrom = version;
    own = store.copyLabelVersion(
      version.id,
      { kind: 'reader', name: me.displayName, readerId: me.id },
      {
        parentId: version.id,
        note: `adjudication: v${version.version} by ${version.author.kind === 'model' ? 'the AI' : version.author.name} picked by ${me.displayName}`,
        by: actorOf(me),
      },
    );
  }
  const signature = await recordVerifiedSignature(deps, {
    caseId,
    kind: 'adjudication',
    lesionVersionId: own.id,
    lungVersionId: lung.id,
    reader: me,
    meaning: ADJUDICATION_MEANING,
    reason: reason.trim(),
  });
  await ensurePairBurden(deps, caseId, own.id, lung.id);
  return { signature, version: store.labelVersion(own.id), copiedFrom };
}
