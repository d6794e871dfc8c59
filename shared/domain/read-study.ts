import type { ClassValues } from '../imaging/agreement.ts';
import type { CaseId, LabelVersionId } from './ids.ts';

/**
 * Read designs of a core-lab read study: `single` (one reader), `double` (two blinded readers,
 * the read1 slot's signed read is the result), `double-adjudication` (two blinded readers; beyond
 * the study's agreement thresholds an adjudicator signs the result).
 */
export const READ_DESIGNS = ['single', 'double', 'double-adjudication'] as const;
export type ReadDesign = (typeof READ_DESIGNS)[number];

/** Slots of a case's assignment: the two blinded readers and the adjudicator. */
export const READ_SLOTS = ['read1', 'read2', 'adjudicator'] as const;
export type ReadSlot = (typeof READ_SLOTS)[number];

/**
 * When two signed reads agree (all must hold; computed on the lesion class = GGO ∪ high opacity):
 * lesion Dice ≥ `minLesionDice`, |burden A − B| ≤ `maxBurdenDiffPp` percentage points,
 * |lesion volume A − B| ≤ `maxLesionVolumeDiffMl` millilitres.
 */
export interface AgreementThresholds {
  readonly minLesionDice: number;
  readonly maxBurdenDiffPp: number;
  readonly maxLesionVolumeDiffMl: number;
}

/** A read study (`protocolId` is in the same value space as a case's trial protocol id). */
export interface ReadStudyView {
  readonly id: number;
  readonly protocolId: string;
  readonly title: string;
  readonly design: ReadDesign;
  /** Readers assigned to a case see no AI output while its blinded reads are open. */
  readonly hideAi: boolean;
  readonly thresholds: AgreementThresholds;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Cases with at least one assignment. */
  readonly caseCount: number;
}

/** One assignment of a case to a reader in a slot. */
export interface ReadAssignmentView {
  readonly protocolId: string;
  readonly caseId: CaseId;
  readonly slot: ReadSlot;
  readonly readerId: number;
  readonly readerLogin: string;
  readonly readerName: string;
}

/**
 * Where a case of a read study stands: `awaiting-reads` (blinded reads open), `needs-adjudication`
 * (both signed, beyond the thresholds, no adjudication yet), `agreed` (both signed: the read1 read
 * is the result), `adjudicated` (an adjudicator signed the result), `single` (single-read design).
 */
export type CaseReadState = 'awaiting-reads' | 'needs-adjudication' | 'agreed' | 'adjudicated' | 'single';

/** One signed read of an agreement (the read's own lesion + lung versions and stored burden). */
export interface SignedReadView {
  readonly slot: 'read1' | 'read2';
  readonly signatureId: number;
  readonly lesionVersionId: LabelVersionId;
  readonly lesionVersion: number;
  readonly readerName: string;
  readonly readerLogin: string;
  readonly signedAt: string;
  readonly meaning: string;
  /** Lesion (GGO + high opacity) burden in % of the lung volume of the read's signed lung version. */
  readonly burdenPercent: number | null;
  /** Lesion volumes (mL) per class. */
  readonly volumeMl: ClassValues<number>;
}

/** The stored agreement of a case's two signed reads (read1 − read2 for differences). */
export interface CaseAgreementView {
  readonly caseId: CaseId;
  readonly protocolId: string;
  readonly read1: SignedReadView;
  readonly read2: SignedReadView;
  /** Dice per class; null when both reads are empty in that class. */
  readonly dice: ClassValues<number | null>;
  /** read1 − read2 in mL. */
  readonly volumeDiffMl: ClassValues<number>;
  /** read1 − read2 of the lesion burden in percentage points (each against its own lung); null without burden. */
  readonly burdenDiffPp: number | null;
  readonly withinThresholds: boolean;
  /** One sentence per threshold exceeded. */
  readonly exceeded: readonly string[];
  readonly computedAt: string;
}

/** A case's read-study state as the signed-in reader may see it (the worklist). */
export interface CaseReadView {
  readonly caseId: CaseId;
  readonly protocolId: string;
  readonly design: ReadDesign;
  readonly state: CaseReadState;
  /** The viewer's own slot(s) on this case. */
  readonly mySlots: readonly ReadSlot[];
  /** True while the viewer sees only the AI output and their own work on this case. */
  readonly blinded: boolean;
}
