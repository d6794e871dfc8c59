import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CohortRow } from '../../../shared/export/burden-csv.ts';
import { writeFileAtomic } from '../reports/report-service.ts';

/** What the journal knows about one input (keyed by its path relative to the batch root). */
export interface JournalEntry {
  readonly status: 'done' | 'failed';
  readonly signature: string;
  readonly caseId: number | null;
  /** Report PDF relative to the output folder (done cases). */
  readonly report: string | null;
  /** The reason it failed (failed cases). */
  readonly error: string | null;
  /** ISO 8601 UTC. */
  readonly finishedAt: string;
  readonly durationMs: number;
  /** The case's cohort CSV row (so the cohort CSV is rebuilt without reprocessing). */
  readonly row: CohortRow;
}

export interface BatchJournal {
  readonly format: 'lung-burden-batch/1';
  readonly root: string;
  readonly createdAt: string;
  updatedAt: string;
  readonly entries: Record<string, JournalEntry>;
}

export const JOURNAL_FILE = 'batch-state.json';

/** Thrown when the journal exists but cannot be used (corrupt, other format, other root). */
export class BatchJournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchJournalError';
  }
}

/** Reads `<outDir>/batch-state.json`, or starts a new journal when there is none. */
export function readJournal(outDir: string, root: string): BatchJournal {
  const path = join(outDir, JOURNAL_FILE);
  const now = new Date().toISOString();
  if (!existsSync(path)) return { format: 'lung-burden-batch/1', root, createdAt: now, updatedAt: now, entries: {} };
  let j: BatchJournal;
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as BatchJournal;
  } catch (e) {
    throw new BatchJournalError(`${path} is not valid JSON (${(e as Error).message}); move it away to start the batch afresh`);
  }
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a file on disk: checked before it is trusted as a journal
  if (j.format !== 'lung-burden-batch/1' || typeof j.entries !== 'object' || j.entries === null) {
    throw new BatchJournalError(`${path} is not a lung-burden batch journal`);
  }
  if (j.root !== root) {
    throw new BatchJournalError(`${path} belongs to a batch over ${j.root}, not ${root}: use another output folder`);
  }
  return j;
}

/** Writes the journal atomically (temporary file + rename), so an interruption never truncates it. */
export function writeJournal(outDir: string, j: BatchJournal): void {
  j.updatedAt = new Date().toISOString();
  writeFileAtomic(join(outDir, JOURNAL_FILE), `${JSON.stringify(j, null, 1)}\n`);
}
