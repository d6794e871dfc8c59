import type { CaseId, LabelVersionId } from './ids.ts';

/** Roles of reader accounts: readers read and sign; adjudicators also resolve double reads; admins also manage accounts. */
export const READER_ROLES = ['reader', 'adjudicator', 'admin'] as const;
export type ReaderRole = (typeof READER_ROLES)[number];

/** A reader account as shown (never its password hash). */
export interface ReaderView {
  readonly id: number;
  /** Unique login name (case-insensitive). */
  readonly login: string;
  /** Name printed on versions, signatures, reports and exports. */
  readonly displayName: string;
  readonly role: ReaderRole;
  readonly active: boolean;
  /** ISO 8601 UTC until which logins are refused after repeated failures; null when not locked. */
  readonly lockedUntil: string | null;
  readonly failedAttempts: number;
  readonly createdAt: string;
}

/**
 * The meaning a read signature states (21 CFR 11.50(a)(3)): shown in the sign-off dialog, stored
 * with the signature and printed wherever the signature is.
 */
export const READ_SIGNATURE_MEANING = 'I have reviewed and approve these lesion and lung labels as my read';

/** The meaning an adjudication signature states (the adjudicator's resolution of two signed reads). */
export const ADJUDICATION_MEANING =
  "I have adjudicated the readers' signed reads and approve these lesion and lung labels as the case result";

/** An electronic signature of one lesion label version together with the lung version it was read with. */
export interface SignatureInfo {
  readonly id: number;
  readonly caseId: CaseId;
  /** `read`: a reader's own read; `adjudication`: the adjudicator's resolution. */
  readonly kind: 'read' | 'adjudication';
  readonly lesionVersionId: LabelVersionId;
  /** sha256 (hex) of the signed lesion label bytes. */
  readonly lesionSha256: string;
  readonly lungVersionId: LabelVersionId;
  /** sha256 (hex) of the lung label bytes signed with it. */
  readonly lungSha256: string;
  readonly readerId: number;
  readonly readerLogin: string;
  readonly readerName: string;
  readonly readerRole: ReaderRole;
  readonly meaning: string;
  /** Adjudication reason ('' for reads). */
  readonly reason: string;
  /** ISO 8601 UTC. */
  readonly signedAt: string;
}

/**
 * The case's result: the signed version reports, exports and the worklist burden use (an
 * adjudication outranks reads; among equals the newest signature). Null while nothing is signed.
 */
export interface CaseResult {
  readonly signature: SignatureInfo;
  readonly lesionVersion: number;
  readonly lungVersion: number;
}
