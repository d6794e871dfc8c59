import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';
import type { BurdenResult } from '../../../shared/imaging/burden-result.ts';
import { parseBurdenResult } from '../../../shared/imaging/burden-result-schema.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { Db } from './database.ts';

/** A stored burden record (figures as computed by `shared/imaging/burden.ts`). */
export interface BurdenRecord {
  readonly lesionVersionId: LabelVersionId | null;
  readonly lungVersionId: LabelVersionId;
  readonly createdAt: string;
  readonly burden: BurdenResult;
}

interface BurdenRow {
  lesion_version_id: number | null;
  lung_version_id: number;
  created_at: string;
  burden_json: string;
}

const SELECT = 'SELECT lesion_version_id, lung_version_id, created_at, burden_json FROM burden_records';

/** The one place a stored record is read: through the schema, so every reader holds a typed BurdenResult. */
function burdenRecord(r: BurdenRow): BurdenRecord {
  const parsed = parseBurdenResult(JSON.parse(r.burden_json));
  if (!parsed.ok)
    throw new CaseStoreError(
      'conflict',
      `a stored burden record is not a lung-burden-v1 burden (${parsed.problem}): recompute it by running the AI or saving the labels again`,
    );
  return {
    lesionVersionId: r.lesion_version_id === null ? null : asLabelVersionId(r.lesion_version_id),
    lungVersionId: asLabelVersionId(r.lung_version_id),
    createdAt: r.created_at,
    burden: parsed.burden,
  };
}

/** The newest burden record of exactly this lesion + lung version pair, or null. */
export function burdenOf(
  db: Db,
  caseId: CaseId,
  lesionVersionId: LabelVersionId | null,
  lungVersionId: LabelVersionId,
): BurdenRecord | null {
  const r = db
    .prepare(`${SELECT} WHERE case_id = ? AND lesion_version_id IS ? AND lung_version_id = ? ORDER BY id DESC LIMIT 1`)
    .get(caseId, lesionVersionId, lungVersionId) as BurdenRow | undefined;
  return r ? burdenRecord(r) : null;
}

/** The newest burden record of a case, or null. */
export function latestBurden(db: Db, caseId: CaseId): BurdenRecord | null {
  const r = db.prepare(`${SELECT} WHERE case_id = ? ORDER BY id DESC LIMIT 1`).get(caseId) as BurdenRow | undefined;
  return r ? burdenRecord(r) : null;
}

/** Appends a burden record (records are never overwritten). */
export function insertBurden(
  db: Db,
  caseId: CaseId,
  lesionVersionId: LabelVersionId | null,
  lungVersionId: LabelVersionId,
  burden: BurdenResult,
): void {
  db.prepare(
    'INSERT INTO burden_records (case_id, lesion_version_id, lung_version_id, created_at, burden_json) VALUES (?, ?, ?, ?, ?)',
  ).run(caseId, lesionVersionId, lungVersionId, new Date().toISOString(), JSON.stringify(burden));
}

/**
 * The record `read` returns, or null when the stored record cannot be read (a hand-edited
 * database): one such row must not take the whole worklist down; opening the case says why.
 */
export function orNoBurden(read: () => BurdenRecord | null): BurdenRecord | null {
  try {
    return read();
  } catch (e) {
    if (e instanceof CaseStoreError && e.code === 'conflict') return null;
    throw e;
  }
}
