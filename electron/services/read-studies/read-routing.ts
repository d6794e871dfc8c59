import { createHash } from 'node:crypto';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import type { AgreementThresholds, CaseAgreementView, CaseReadState, SignedReadView } from '../../../shared/domain/read-study.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import { pairAgreement, type PairAgreement } from '../../../shared/imaging/agreement.ts';
import { SYSTEM_ACTOR } from '../audit/audit-trail.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { CaseAssignment, ReadStudies } from './read-studies.ts';

interface AgreementRow {
  read1_signature_id: number;
  read2_signature_id: number;
  agreement_json: string;
  within_thresholds: number;
  exceeded_json: string;
  computed_at: string;
}

/** The two signed reads of a double-read case: each slot's reader's newest read signature. */
export interface SignedReads {
  readonly read1: SignatureInfo | null;
  readonly read2: SignatureInfo | null;
}

/**
 * Which thresholds a pair exceeds (one sentence each; empty = the reads agree). The lesion class
 * (GGO ∪ high opacity) is compared: Dice (null when both are empty: agreement), burden difference
 * in percentage points, lesion volume difference in mL.
 */
export function exceededThresholds(
  t: AgreementThresholds,
  dice: number | null,
  burdenDiffPp: number | null,
  volumeDiffMl: number,
): string[] {
  const out: string[] = [];
  if (dice !== null && dice < t.minLesionDice) out.push(`lesion Dice ${dice.toFixed(3)} is below ${t.minLesionDice}`);
  if (burdenDiffPp !== null && Math.abs(burdenDiffPp) > t.maxBurdenDiffPp)
    out.push(`burden difference ${Math.abs(burdenDiffPp).toFixed(2)} pp exceeds ${t.maxBurdenDiffPp} pp`);
  if (Math.abs(volumeDiffMl) > t.maxLesionVolumeDiffMl)
    out.push(`lesion volume difference ${Math.abs(volumeDiffMl).toFixed(1)} mL exceeds ${t.maxLesionVolumeDiffMl} mL`);
  return out;
}

/**
 * Routing of double reads. Once both assigned readers have signed a read, the agreement of the two
 * signed lesion versions is computed with `pairAgreement` (Dice per class and volumes; each read's
 * burden against its own signed lung version), stored (`read_agreements`, append-only, audited
 * `read.agreement`) and compared with the study's thresholds.
 *
 * The result rule (installed as the store's `resultRule`): an adjudication, when there is one, is
 * the result; otherwise in a `double` study, and in a `double-adjudication` study whose reads agree
 * within the thresholds, the **read1 slot's signed read** is the result (a slot fixed when the case
 * was assigned, not whoever signed first); a case whose reads are open, or beyond the thresholds
 * and not yet adjudicated, has no result.
 */
export class ReadRouting {
  constructor(
    private readonly store: CaseStore,
    private readonly studies: ReadStudies,
  ) {}

  /** The double-read assignment of a case (null: no study, or single read). */
  doubleRead(
    caseId: CaseId,
  ): (CaseAssignment & { read1: NonNullable<CaseAssignment['read1']>; read2: NonNullable<CaseAssignment['read2']> }) | null {
    const a = this.studies.caseAssignment(caseId);
    if (!a || a.study.design === 'single' || !a.read1 || !a.read2) return null;
    return { ...a, read1: a.read1, read2: a.read2 };
  }

  signedReads(caseId: CaseId, a: CaseAssignment): SignedReads {
    const reads = this.store.signatures(caseId).filter((g) => g.kind === 'read');
    const newest = (readerId: number | undefined): SignatureInfo | null => reads.filter((g) => g.readerId === readerId).at(-1) ?? null;
    return { read1: newest(a.read1?.readerId), read2: newest(a.read2?.readerId) };
  }

  /** True while a double-read case has an unsigned read (its reads are blinded). */
  readsOpen(caseId: CaseId): boolean {
    const a = this.doubleRead(caseId);
    if (!a) return false;
    const r = this.signedReads(caseId, a);
    return r.read1 === null || r.read2 === null;
  }

  /** After a read signature: computes and stores the agreement when both reads are signed (once per pair). */
  afterRead(caseId: CaseId): CaseAgreementView | null {
    const a = this.doubleRead(caseId);
    if (!a) return null;
    const { read1, read2 } = this.signedReads(caseId, a);
    if (!read1 || !read2) return null;
    const stored = this.storedRow(caseId, read1.id, read2.id);
    if (stored) return this.view(caseId, a, stored);
    const g = this.store.getCase(caseId).geometry;
    const ml = voxelVolumeMl(g);
    const l1 = this.store.loadLabels(read1.lesionVersionId);
    const l2 = this.store.loadLabels(read2.lesionVersionId);
    const p = pairAgreement(l1, l2, ml, this.store.loadLabels(read1.lungVersionId));
    // Each read's burden against the lung version it was signed with.
    const burden2 =
      read2.lungVersionId === read1.lungVersionId
        ? (p.burdenPercent?.b.lesion ?? null)
        : (pairAgreement(l2, l1, ml, this.store.loadLabels(read2.lungVersionId)).burdenPercent?.a.lesion ?? null);
    const burden1 = p.burdenPercent?.a.lesion ?? null;
    const burdenDiff = burden1 !== null && burden2 !== null ? burden1 - burden2 : null;
    const exceeded = exceededThresholds(a.study.thresholds, p.dice.lesion, burdenDiff, p.volumeDiffMl.lesion);
    const json = JSON.stringify({ pair: p, burden1, burden2, burdenDiff });
    this.store.db.transaction(() => {
      this.store.db
        .prepare(
          `INSERT INTO read_agreements (study_id, case_id, read1_signature_id, read2_signature_id, agreement_json, within_thresholds, exceeded_json, computed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.study.id,
          caseId,
          read1.id,
          read2.id,
          json,
          exceeded.length === 0 ? 1 : 0,
          JSON.stringify(exceeded),
          new Date().toISOString(),
        );
      this.store.audit.append({
        actor: SYSTEM_ACTOR,
        action: 'read.agreement',
        caseId,
        entity: `case:${caseId}`,
        sha256: createHash('sha256').update(json).digest('hex'),
        details: {
          protocolId: a.study.protocolId,
          read1Signature: read1.id,
          read2Signature: read2.id,
          lesionDice: p.dice.lesion,
          burdenDiffPp: burdenDiff,
          lesionVolumeDiffMl: p.volumeDiffMl.lesion,
          withinThresholds: exceeded.length === 0,
          exceeded,
          route: exceeded.length === 0 || a.study.design === 'double' ? 'read1 is the result' : 'to the adjudicator',
        },
      });
    })();
    this.store.audit.syncAnchor();
    const row = this.storedRow(caseId, read1.id, read2.id);
    return row ? this.view(caseId, a, row) : null;
  }

  /** The agreement of the case's current pair of signed reads (computed now if it was not), or null. */
  agreement(caseId: CaseId): CaseAgreementView | null {
    return this.afterRead(caseId);
  }

  state(caseId: CaseId): CaseReadState | null {
    const a = this.studies.caseAssignment(caseId);
    if (!a) return null;
    if (a.study.design === 'single') return 'single';
    if (this.store.signatures(caseId).some((g) => g.kind === 'adjudication')) return 'adjudicated';
    const d = this.doubleRead(caseId);
    if (!d) return 'awaiting-reads';
    const { read1, read2 } = this.signedReads(caseId, d);
    if (!read1 || !read2) return 'awaiting-reads';
    const row = this.storedRow(caseId, read1.id, read2.id);
    if (!row) return 'awaiting-reads';
    return row.within_thresholds === 1 || d.study.design === 'double' ? 'agreed' : 'needs-adjudication';
  }

  /**
   * The store's result rule: the signature id that is the case result, null for "no result yet",
   * undefined where the default rule applies (no double read, or an adjudication exists).
   */
  resultSignatureId(caseId: CaseId): number | null | undefined {
    const d = this.doubleRead(caseId);
    if (!d) return undefined;
    if (this.store.signatures(caseId).some((g) => g.kind === 'adjudication')) return undefined;
    const { read1, read2 } = this.signedReads(caseId, d);
    if (!read1 || !read2) return null;
    const row = this.storedRow(caseId, read1.id, read2.id);
    if (!row) return null;
    return row.within_thresholds === 1 || d.study.design === 'double' ? read1.id : null;
  }

  private storedRow(caseId: CaseId, s1: number, s2: number): AgreementRow | undefined {
    return this.store.db
      .prepare('SELECT * FROM read_agreements WHERE case_id = ? AND read1_signature_id = ? AND read2_signature_id = ?')
      .get(caseId, s1, s2) as AgreementRow | undefined;
  }

  private view(caseId: CaseId, a: CaseAssignment, r: AgreementRow): CaseAgreementView {
    const j = JSON.parse(r.agreement_json) as {
      pair: PairAgreement;
      burden1: number | null;
      burden2: number | null;
      burdenDiff: number | null;
    };
    const sigs = this.store.signatures(caseId);
    const read = (slot: 'read1' | 'read2', id: number, burden: number | null, volumeMl: PairAgreement['volumeMlA']): SignedReadView => {
      const g = sigs.find((s) => s.id === id);
      if (!g) throw new Error(`signature ${id} of case ${caseId} is missing`);
      return {
        slot,
        signatureId: g.id,
        lesionVersionId: g.lesionVersionId,
        lesionVersion: this.store.labelVersion(g.lesionVersionId).version,
        readerName: g.readerName,
        readerLogin: g.readerLogin,
        signedAt: g.signedAt,
        meaning: g.meaning,
        burdenPercent: burden,
        volumeMl,
      };
    };
    return {
      caseId,
      protocolId: a.study.protocolId,
      read1: read('read1', r.read1_signature_id, j.burden1, j.pair.volumeMlA),
      read2: read('read2', r.read2_signature_id, j.burden2, j.pair.volumeMlB),
      dice: j.pair.dice,
      volumeDiffMl: j.pair.volumeDiffMl,
      burdenDiffPp: j.burdenDiff,
      withinThresholds: r.within_thresholds === 1,
      exceeded: JSON.parse(r.exceeded_json) as string[],
      computedAt: r.computed_at,
    };
  }
}
