/**
 * Pairs the cohort CSV's scores (default `burden_percent`) with known labels from a second CSV,
 * for ROC analysis. The join key is the first column both files share among `source`,
 * `patient_id`, `case_id`, `accession_number`. Labels are read as positive from
 * 1 / true / yes / positive / pos and negative from 0 / false / no / negative / neg
 * (case-insensitive); other values are errors. Failed cohort rows and rows without a label match
 * are left out and listed.
 */
export interface JoinedScores {
  readonly keyColumn: string;
  readonly keys: readonly string[];
  readonly scores: readonly number[];
  readonly labels: readonly boolean[];
  /** Cohort keys without a label row, or with a failed / empty score. */
  readonly unmatched: readonly string[];
}

export class CohortLabelsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CohortLabelsError';
  }
}

const KEY_COLUMNS = ['source', 'patient_id', 'case_id', 'accession_number'] as const;
const POSITIVE = new Set(['1', 'true', 'yes', 'positive', 'pos']);
const NEGATIVE = new Set(['0', 'false', 'no', 'negative', 'neg']);

export function joinCohortLabels(
  cohort: { columns: readonly string[]; rows: readonly Readonly<Record<string, string>>[] },
  labels: { columns: readonly string[]; rows: readonly Readonly<Record<string, string>>[] },
  opts: { labelColumn: string; scoreColumn?: string; keyColumn?: string },
): JoinedScores {
  const scoreColumn = opts.scoreColumn ?? 'burden_percent';
  if (!cohort.columns.includes(scoreColumn)) throw new CohortLabelsError(`the cohort CSV has no column "${scoreColumn}"`);
  if (!labels.columns.includes(opts.labelColumn)) {
    throw new CohortLabelsError(`the labels CSV has no column "${opts.labelColumn}" (columns: ${labels.columns.join(', ')})`);
  }
  const keyColumn = opts.keyColumn ?? KEY_COLUMNS.find((k) => cohort.columns.includes(k) && labels.columns.includes(k));
  if (!keyColumn || !cohort.columns.includes(keyColumn) || !labels.columns.includes(keyColumn)) {
    throw new CohortLabelsError(`the two CSV files share no key column (one of ${KEY_COLUMNS.join(', ')})`);
  }
  const byKey = new Map<string, boolean>();
  labels.rows.forEach((r, n) => {
    const raw = (r[opts.labelColumn] ?? '').trim().toLowerCase();
    if (raw === '') return;
    const v = POSITIVE.has(raw) ? true : NEGATIVE.has(raw) ? false : null;
    if (v === null)
      throw new CohortLabelsError(
        `labels CSV row ${n + 2}: "${r[opts.labelColumn]}" is not a binary label (use 1/0, true/false, positive/negative)`,
      );
    const key = (r[keyColumn] ?? '').trim();
    if (byKey.has(key) && byKey.get(key) !== v) throw new CohortLabelsError(`labels CSV: key "${key}" has conflicting labels`);
    byKey.set(key, v);
  });
  const keys: string[] = [];
  const scores: number[] = [];
  const out: boolean[] = [];
  const unmatched: string[] = [];
  for (const r of cohort.rows) {
    const key = (r[keyColumn] ?? '').trim();
    const label = byKey.get(key);
    const s = r[scoreColumn]?.trim() ?? '';
    const score = s === '' ? Number.NaN : Number(s);
    if (label === undefined || r['status'] === 'failed' || !Number.isFinite(score)) {
      unmatched.push(key);
      continue;
    }
    keys.push(key);
    scores.push(score);
    out.push(label);
  }
  return { keyColumn, keys, scores, labels: out, unmatched };
}
