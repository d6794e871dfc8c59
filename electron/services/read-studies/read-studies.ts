import type { ReadStudyInput } from '../../../shared/contracts/read-studies.ts';
import { asCaseId, type CaseId } from '../../../shared/domain/ids.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';
import type { ReadAssignmentView, ReadDesign, ReadSlot, ReadStudyView } from '../../../shared/domain/read-study.ts';
import { actorOf, AuthError } from '../readers/reader-accounts.ts';
import { CaseStoreError, type CaseStore } from '../cases/case-store.ts';

interface StudyRow {
  id: number;
  protocol_id: string;
  title: string;
  design: ReadDesign;
  hide_ai: number;
  min_lesion_dice: number;
  max_burden_diff_pp: number;
  max_lesion_volume_diff_ml: number;
  created_at: string;
  created_by: string;
  case_count: number;
}

interface AssignmentRow {
  protocol_id: string;
  case_id: number;
  slot: ReadSlot;
  reader_id: number;
  login: string;
  display_name: string;
}

/** A case's assignments in its study (a case belongs to at most one study). */
export interface CaseAssignment {
  readonly study: ReadStudyView;
  readonly read1: ReadAssignmentView | null;
  readonly read2: ReadAssignmentView | null;
  readonly adjudicator: ReadAssignmentView | null;
}

const STUDY_SELECT = `SELECT s.*, (SELECT COUNT(DISTINCT case_id) FROM read_assignments a WHERE a.study_id = s.id) AS case_count FROM read_studies s`;
const ASSIGNMENT_SELECT = `SELECT s.protocol_id, a.case_id, a.slot, a.reader_id, r.login, r.display_name
  FROM read_assignments a JOIN read_studies s ON s.id = a.study_id JOIN readers r ON r.id = a.reader_id`;

const studyView = (r: StudyRow): ReadStudyView => ({
  id: r.id,
  protocolId: r.protocol_id,
  title: r.title,
  design: r.design,
  hideAi: r.hide_ai === 1,
  thresholds: {
    minLesionDice: r.min_lesion_dice,
    maxBurdenDiffPp: r.max_burden_diff_pp,
    maxLesionVolumeDiffMl: r.max_lesion_volume_diff_ml,
  },
  createdAt: r.created_at,
  createdBy: r.created_by,
  caseCount: r.case_count,
});

const assignmentView = (r: AssignmentRow): ReadAssignmentView => ({
  protocolId: r.protocol_id,
  caseId: asCaseId(r.case_id),
  slot: r.slot,
  readerId: r.reader_id,
  readerLogin: r.login,
  readerName: r.display_name,
});

/**
 * Read studies and case assignments in the case store (`read_studies`, `read_assignments`).
 * Only admins change them; every change is appended to the audit trail. A case belongs to at
 * most one study; the two read slots are held by two different readers and the adjudicator is
 * neither of them; a slot whose reader already signed a read of the case is never reassigned.
 */
export class ReadStudies {
  constructor(private readonly store: CaseStore) {}

  list(): ReadStudyView[] {
    return (this.store.db.prepare(`${STUDY_SELECT} ORDER BY s.id`).all() as StudyRow[]).map(studyView);
  }

  /** The study of a protocol id; refuses an unknown one. */
  byProtocol(protocolId: string): ReadStudyView {
    const r = this.store.db.prepare(`${STUDY_SELECT} WHERE s.protocol_id = ?`).get(protocolId) as StudyRow | undefined;
    if (!r) throw new CaseStoreError('not-found', `no read study with protocol id ${protocolId}`);
    return studyView(r);
  }

  create(input: ReadStudyInput, by: ReaderView): ReadStudyView {
    requireAdmin(by);
    const exists = this.store.db.prepare('SELECT 1 FROM read_studies WHERE protocol_id = ?').get(input.protocolId);
    if (exists) throw new CaseStoreError('conflict', `a read study with protocol id ${input.protocolId} exists already`);
    this.store.db.transaction(() => {
      const t = new Date().toISOString();
      const res = this.store.db
        .prepare(
          `INSERT INTO read_studies (protocol_id, title, design, hide_ai, min_lesion_dice, max_burden_diff_pp, max_lesion_volume_diff_ml, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          input.protocolId,
          input.title,
          input.design,
          input.hideAi ? 1 : 0,
          input.minLesionDice,
          input.maxBurdenDiffPp,
          input.maxLesionVolumeDiffMl,
          t,
          by.login,
        );
      this.store.audit.append({
        actor: actorOf(by),
        action: 'read-study.create',
        entity: `read_study:${Number(res.lastInsertRowid)}`,
        details: { ...input },
      });
    })();
    this.store.audit.syncAnchor();
    return this.byProtocol(input.protocolId);
  }

  /** Assigns `caseId` to `reader` in `slot` of the study (admin); returns the study's assignments. */
  assign(protocolId: string, caseId: CaseId, slot: ReadSlot, reader: ReaderView, by: ReaderView): ReadAssignmentView[] {
    requireAdmin(by);
    const study = this.byProtocol(protocolId);
    this.store.getCase(caseId);
    if (!reader.active) throw new CaseStoreError('invalid', `the account ${reader.login} is deactivated`);
    if (study.design === 'single' && slot === 'read2')
      throw new CaseStoreError('invalid', `study ${protocolId} is single-read: it has no second read`);
    if (study.design !== 'double-adjudication' && slot === 'adjudicator')
      throw new CaseStoreError('invalid', `study ${protocolId} (${study.design}) has no adjudication`);
    if (slot === 'adjudicator' && reader.role === 'reader')
      throw new CaseStoreError('invalid', `${reader.login} is a reader: the adjudicator slot needs an adjudicator or admin account`);
    const current = this.caseAssignment(caseId);
    if (current && current.study.id !== study.id)
      throw new CaseStoreError('conflict', `case ${caseId} is assigned in study ${current.study.protocolId} already`);
    const others = current
      ? (['read1', 'read2', 'adjudicator'] as const)
          .filter((s) => s !== slot)
          .map((s) => current[s])
          .filter((a) => a !== null)
      : [];
    if (others.some((a) => a.readerId === reader.id))
      throw new CaseStoreError(
        'invalid',
        `${reader.login} holds another slot of case ${caseId}: the two reads and the adjudication are by three different people`,
      );
    const previous = current?.[slot] ?? null;
    if (previous && previous.readerId !== reader.id) {
      const signed = this.store.signatures(caseId).some((g) => g.kind === 'read' && g.readerId === previous.readerId);
      if (signed)
        throw new CaseStoreError(
          'conflict',
          `${previous.readerLogin} signed a read of case ${caseId} already: the ${slot} slot cannot be reassigned`,
        );
    }
    this.store.db.transaction(() => {
      this.store.db
        .prepare(
          `INSERT INTO read_assignments (study_id, case_id, reader_id, slot, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (case_id, slot) DO UPDATE SET reader_id = excluded.reader_id, assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by`,
        )
        .run(study.id, caseId, reader.id, slot, new Date().toISOString(), by.login);
      this.store.audit.append({
        actor: actorOf(by),
        action: 'read-study.assign',
        caseId,
        entity: `case:${caseId}`,
        details: { protocolId, slot, reader: reader.login, previous: previous?.readerLogin ?? null },
      });
    })();
    this.store.audit.syncAnchor();
    return this.assignments(protocolId);
  }

  assignments(protocolId: string): ReadAssignmentView[] {
    this.byProtocol(protocolId);
    return (
      this.store.db.prepare(`${ASSIGNMENT_SELECT} WHERE s.protocol_id = ? ORDER BY a.case_id, a.slot`).all(protocolId) as AssignmentRow[]
    ).map(assignmentView);
  }

  /** The case's study and slots, or null when it is in no study. */
  caseAssignment(caseId: CaseId): CaseAssignment | null {
    const rows = (this.store.db.prepare(`${ASSIGNMENT_SELECT} WHERE a.case_id = ?`).all(caseId) as AssignmentRow[]).map(assignmentView);
    const first = rows[0];
    if (!first) return null;
    const slot = (s: ReadSlot): ReadAssignmentView | null => rows.find((r) => r.slot === s) ?? null;
    return { study: this.byProtocol(first.protocolId), read1: slot('read1'), read2: slot('read2'), adjudicator: slot('adjudicator') };
  }

  /** Every case that has an assignment. */
  assignedCases(): CaseId[] {
    return (this.store.db.prepare('SELECT DISTINCT case_id FROM read_assignments ORDER BY case_id').all() as { case_id: number }[]).map(
      (r) => asCaseId(r.case_id),
    );
  }
}

function requireAdmin(by: ReaderView): void {
  if (by.role !== 'admin') throw new AuthError('forbidden', 'only an admin can create read studies and assign cases');
}
